import type { ClientSocket, ConnectionEvents } from "../../src/ports/index.ts";
import type { PlayerConnection } from "../players/player.ts";
import type { CloseEvent, FrameEvent } from "../trace/events.ts";
import { EPOCH, hopLatency, type SimContext } from "./context.ts";

/** The client end of a simulated WebSocket. */
export interface ClientEnd {
  received(connection: PlayerConnection, text: string): void;
  closedByServer(connection: PlayerConnection): void;
}

/**
 * One WebSocket between a simulated player and an instance. Each direction is a FIFO source; frames,
 * closes and their deliveries are steps. Pings are answered without a step while the client's network is up:
 * they only refresh liveness, and a silent network drop stops them.
 */
export class SimConnection implements PlayerConnection {
  clientOpen = true;
  serverOpen = true;
  /** The client's network dropped without a close: the server only learns by heartbeat. */
  dropped = false;
  /** When (ms since the run began) the server's connection logic learned the socket was gone; null while it does not know. */
  serverClosedAt: number | null = null;
  /** The server called close(): nothing more may be sent, though the close itself is still in flight. */
  private serverClosing = false;
  private events: ConnectionEvents | null = null;
  readonly serverSocket: ClientSocket;
  /**
   * The FIFO sources of each direction, named once: every frame is a step looked up by its source, and a name
   * built anew for each would be hashed anew.
   */
  private readonly toServer: string;
  private readonly toClient: string;

  constructor(
    private readonly context: SimContext,
    readonly id: string,
    /** The incarnation the socket reaches, by the harness's id (unique per incarnation). */
    readonly instanceId: string,
    /** The player on the client end. */
    readonly playerId: string,
    private readonly client: ClientEnd,
    private readonly clientLane: string,
    private readonly serverLane: string,
    private readonly onDelivered: (connection: SimConnection, text: string) => void,
  ) {
    this.toServer = `c2s:${id}`;
    this.toClient = `s2c:${id}`;
    this.serverSocket = {
      send: (text) => this.serverSend(text),
      ping: () => {
        if (this.clientOpen && !this.dropped) queueMicrotask(() => this.serverOpen && this.events?.onPong());
      },
      close: () => this.serverClose(),
    };
  }

  attach(events: ConnectionEvents): void {
    this.events = events;
  }

  private latency(): number {
    return hopLatency(this.context, this.context.faults.messageDelay);
  }

  clientSend(text: string): void {
    if (!this.clientOpen) return;
    this.context.steps.add(
      {
        lane: this.clientLane,
        source: this.toServer,
        owner: this.instanceId,
        kind: "frame-in",
        readyAt: this.context.steps.now + this.latency(),
      },
      () => {
        if (!this.serverOpen || !this.events) return this.frame("frame-in", text, true);
        this.onDelivered(this, text);
        this.events.onText(text);
        return this.frame("frame-in", text, false);
      },
    );
  }

  get traceId(): string {
    return this.id;
  }

  get heldByServer(): boolean {
    return this.serverOpen;
  }

  /** The client closes the socket (a quit, or a reconnect). */
  clientClose(): void {
    if (!this.clientOpen) return;
    this.clientOpen = false;
    this.context.steps.add(
      {
        lane: this.clientLane,
        source: this.toServer,
        owner: this.instanceId,
        kind: "close",
        readyAt: this.context.steps.now + this.latency(),
      },
      () => this.closed("client", this.closeServerSide()),
    );
  }

  /** The client's network drops: no close frame reaches the server. */
  clientDrop(): void {
    this.clientOpen = false;
    this.dropped = true;
  }

  private frame(kind: FrameEvent["kind"], text: string, dropped: boolean): FrameEvent {
    return { kind, connection: this.id, instance: this.instanceId, player: this.playerId, text, dropped };
  }

  private closed(by: CloseEvent["by"], result: CloseEvent["result"]): CloseEvent {
    return { kind: "close", connection: this.id, instance: this.instanceId, player: this.playerId, by, result };
  }

  private closeServerSide(): CloseEvent["result"] {
    if (!this.serverOpen) return "already closed";
    this.serverOpen = false;
    this.serverClosedAt ??= this.context.steps.now - EPOCH;
    this.events?.onClose();
    return "closed";
  }

  private serverSend(text: string): void {
    if (!this.serverOpen || this.serverClosing) return;
    this.context.steps.add(
      {
        lane: this.serverLane,
        source: this.toClient,
        owner: null,
        kind: "frame-out",
        readyAt: this.context.steps.now + this.latency(),
      },
      () => {
        if (!this.clientOpen) return this.frame("frame-out", text, true);
        this.client.received(this, text);
        return this.frame("frame-out", text, false);
      },
    );
  }

  private serverClose(): void {
    if (!this.serverOpen || this.serverClosing) return;
    this.serverClosing = true;
    // The server knows the socket is gone from its own close call on, whenever the close frame reaches the wire.
    this.serverClosedAt = this.context.steps.now - EPOCH;
    this.context.steps.add(
      {
        lane: this.serverLane,
        source: this.toClient,
        owner: null,
        kind: "close",
        readyAt: this.context.steps.now + this.latency(),
      },
      () => {
        const serverSide = this.closeServerSide();
        if (this.clientOpen) {
          this.clientOpen = false;
          this.client.closedByServer(this);
        }
        return this.closed("server", serverSide);
      },
    );
  }

  /** The instance died: the OS closes the socket; the server's handlers never hear of it. */
  instanceDied(): void {
    this.serverOpen = false;
    if (!this.clientOpen) return;
    this.context.steps.add(
      {
        lane: this.clientLane,
        source: this.toClient,
        owner: null,
        kind: "close",
        readyAt: this.context.steps.now + 1,
      },
      () => {
        if (!this.clientOpen) return this.closed("reset", "already closed");
        this.clientOpen = false;
        this.client.closedByServer(this);
        return this.closed("reset", "reset");
      },
    );
  }
}
