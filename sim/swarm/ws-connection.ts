import { WebSocket } from "ws";
import { parseClientFrame } from "../../src/protocol/index.ts";
import type { Player, PlayerConnection } from "../players/player.ts";

/** What the swarm learns from a connection besides what the player hears. */
export interface ConnectionObserver {
  /** A frame is being written to the socket. */
  sent(player: Player, text: string): void;
  /** The player handled a server message. */
  received(player: Player): void;
  /** The socket failed: refused, reset, or a protocol error. */
  failed(player: Player, error: Error): void;
}

/**
 * A player's real WebSocket. Frames sent before the socket opens wait for it, as a client library's send
 * queue would; a socket that never opens or that the server closes is reported to the player like a close.
 */
export class WsPlayerConnection implements PlayerConnection {
  private readonly socket: WebSocket;
  private readonly waiting: string[] = [];
  /** Closed by us (close or drop) or by the other side: either way the player no longer holds it. */
  private ended = false;

  constructor(
    url: string,
    private readonly player: Player,
    private readonly observer: ConnectionObserver,
  ) {
    this.socket = new WebSocket(url);
    this.socket.on("open", () => {
      for (const text of this.waiting.splice(0)) this.write(text);
    });
    this.socket.on("message", (data) => {
      player.received(this, String(data));
      observer.received(player);
    });
    this.socket.on("error", (error) => {
      // Closing a socket that is still opening aborts it with an error; that one is ours, not a failure.
      if (!this.ended) observer.failed(player, error);
    });
    this.socket.on("close", () => {
      if (this.ended) return;
      this.ended = true;
      player.closedByServer(this);
    });
  }

  get clientOpen(): boolean {
    return !this.ended;
  }

  /** Still opening: the player has asked but the server has not answered the handshake yet. */
  get connecting(): boolean {
    return !this.ended && this.socket.readyState === WebSocket.CONNECTING;
  }

  clientSend(text: string): void {
    if (this.ended) return;
    if (this.socket.readyState === WebSocket.OPEN) this.write(text);
    else this.waiting.push(text);
  }

  clientClose(): void {
    this.ended = true;
    this.socket.close();
  }

  clientDrop(): void {
    this.ended = true;
    this.socket.terminate();
  }

  /** Resolves once the socket is fully closed (now, if it already is). */
  closed(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.socket.once("close", () => resolve()));
  }

  private write(text: string): void {
    // Noted as the frame leaves, not when the write completes: whatever the server does about it comes after
    // this instant, which is what the checker's bounds need (a game starts after its players' ready signals).
    const frame = parseClientFrame(text);
    if (frame.ok && frame.value.type === "loading_complete") this.player.readyDelivered(frame.value.loading_session_id);
    this.observer.sent(this.player, text);
    this.socket.send(text);
  }
}
