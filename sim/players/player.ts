import { encodeClientFrame, ErrorText, FRAME_REFUSALS, MAX_FRAME_BYTES, parseServerMessage, type ServerMessage } from "../../src/protocol/index.ts";
import type { Rng } from "../random/rng.ts";
import { isWilling, loadingTime, type Behaviour } from "./behaviour.ts";

/** What the client believes about itself, from the messages it received. */
export type ClientView =
  | { state: "idle" }
  | { state: "awaiting" }
  | { state: "queued" }
  | { state: "loading"; session: string }
  | { state: "matched"; session: string; address: string };

/** A well-formed session id no server ever made. */
const NO_SUCH_SESSION = "00000000-0000-4000-8000-000000000000";
/** A player id a flooding client claims besides its own, on the connection it bound to its own. */
const SOMEONE_ELSE = "00000000-0000-4000-8000-0000000000ff";
/**
 * Enqueues a flooding client sends at once: over two seconds' worth at the servers' default rate limit (20 frames
 * a second), so it is warned, refused, and closed, and more than a connection's bound of requests in flight.
 */
const FLOOD_FRAMES = 50;

/** One loading session as this client lived it: the facts ready-respected judges. */
export interface LoadingEpisode {
  session: string;
  /** The connection start_loading arrived on (the latest, when it was told again on a new one). */
  connection: PlayerConnection | null;
  /** The connection the delivered ready arrived on, when the transport says which. */
  readyConnection?: PlayerConnection;
  startedAt: number;
  readyDeliveredAt: number | null;
  /**
   * The ready sent again on the connection the server told start_loading again, after the first one arrived on
   * another: it speaks for the player where the first came from a connection the server had already replaced.
   */
  readyAgain?: { at: number; connection: PlayerConnection };
  disconnectedAt: number | null;
  outcome: { at: number; kind: "matched" | "requeued" | "timed-out" | "refused"; text: string } | null;
}

export interface MatchReceived {
  session: string;
  address: string;
  at: number;
  /** Which of the player's requests to play it answers: 0 (or absent) for the first, one more each time it plays again. */
  round?: number;
}

/**
 * When a player who plays again asks: soon (its game may still run, or just ended), or after more than an hour
 * (its last game's records have expired: the server must take it as a new player).
 */
const SOON_AGAIN_MS: readonly [number, number] = [20_000, 180_000];
const MUCH_LATER_MS: readonly [number, number] = [3_700_000, 4_000_000];

/** A player's end of one WebSocket, simulated or real. */
export interface PlayerConnection {
  /** As the trace's frames name it, when the transport says (a simulated socket). */
  readonly traceId?: string;
  readonly clientOpen: boolean;
  /**
   * When the server learned this socket was gone (a close it processed), ms since the run began; null while
   * it does not know, or when the transport cannot tell (a real socket).
   */
  readonly serverClosedAt?: number | null;
  /** The server end is still open, when the transport can tell (a simulated socket): its instance lives and has not closed it. */
  readonly heldByServer?: boolean;
  /** The server instance (incarnation) it reaches, when the transport can tell (a simulated socket). */
  readonly instanceId?: string;
  clientSend(text: string): void;
  /** Closes the socket with a close frame. */
  clientClose(): void;
  /** The network drops: no close frame reaches the server. */
  clientDrop(): void;
}

/** The services a player uses: connecting, acting later, the time (ms since the run began). */
export interface PlayerHost {
  now(): number;
  connect(player: Player): PlayerConnection | null;
  act(player: Player, delayMs: number, label: string, action: () => void): void;
  /** Told when the player receives match_found, so a checker need not poll every player. */
  matched?(player: Player): void;
}

export const RETURNED_TO_QUEUE = "returned to the queue";
const MAX_REENQUEUES = 3;

/** A client program with a behaviour. Everything it does goes through its host, so the same program drives
 * simulated players (every action a step) and the real WebSocket swarm. */
export class Player {
  view: ClientView = { state: "idle" };
  connection: PlayerConnection | null = null;
  /** Quit for good: never reconnects. */
  quit = false;
  readonly episodes: LoadingEpisode[] = [];
  readonly matches: MatchReceived[] = [];
  /** How many times it asked to play again after a game (see MatchReceived.round). */
  round = 0;
  readonly errors: string[] = [];
  /** Every connection this player opened, in order. */
  readonly connections: PlayerConnection[] = [];
  /** Connections the server told that another connection of ours took over: their end was no leave. */
  readonly replaced = new WeakSet<PlayerConnection>();
  private reenqueues = 0;
  /** Refused (told to enqueue again) more often than it re-enqueues: it no longer wants a match. */
  private gaveUp = false;
  private reconnectPlanned = false;

  constructor(
    readonly id: string,
    /** The game mode it asks for; a player that changes mode asks for another one later. */
    public mode: string,
    readonly behaviour: Behaviour,
    private readonly host: PlayerHost,
    private readonly rng: Rng,
    /** The modes it may choose among. */
    private readonly modes: readonly string[] = [mode],
  ) {}

  get connected(): boolean {
    return this.connection !== null && this.connection.clientOpen;
  }

  /** Wants a match, is reachable, and has not given up: the players eventual-match and no-lost-player speak for. */
  get willing(): boolean {
    return isWilling(this.behaviour) && !this.quit && !this.gaveUp && this.connected;
  }

  get lastEpisode(): LoadingEpisode | undefined {
    return this.episodes[this.episodes.length - 1];
  }

  start(): void {
    this.connectAndEnqueue();
    if (this.behaviour === "quits-before-match") {
      this.host.act(this, this.rng.int(0, 8_000), "quit before match", () => {
        if (this.view.state === "queued" || this.view.state === "awaiting") this.leave();
      });
    }
    if (this.behaviour === "reconnects") {
      this.host.act(this, this.rng.int(500, 20_000), "reconnect", () => {
        if (this.view.state !== "matched" && this.connected) this.reconnect(() => this.connection?.clientClose());
      });
    }
    if (this.behaviour === "changes-mode") {
      this.host.act(this, this.rng.int(500, 20_000), "change mode", () => {
        if (this.connected && (this.view.state === "queued" || this.view.state === "awaiting")) this.changeMode();
      });
    }
  }

  /** After its game, asks to play again on the connection it has: a new request, answered on its own. */
  private playAgain(): void {
    if (!this.connected || this.view.state !== "matched") return;
    this.round++;
    this.view = { state: "awaiting" };
    this.connection?.clientSend(this.enqueueFrame());
  }

  /**
   * Asks for the next mode from a second connection (another tab) while the first is still open: the server's
   * takeover moves the queued record to the new mode, and tells the first connection it was replaced.
   */
  private changeMode(): void {
    this.mode = this.modes[(this.modes.indexOf(this.mode) + 1) % this.modes.length] ?? this.mode;
    this.connectAndEnqueue();
  }

  /** A silent network drop, then a reconnect, as the disconnect fault does it. */
  dropNetwork(): void {
    if (!this.connected || this.view.state === "matched") return;
    this.reconnect(() => this.connection?.clientDrop());
  }

  private reconnect(disconnect: () => void): void {
    this.noteDisconnect();
    disconnect();
    this.view = { state: "idle" };
    this.scheduleReconnect(this.rng.int(100, 3_000));
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.reconnectPlanned) return;
    this.reconnectPlanned = true;
    this.host.act(this, delayMs, "reconnect", () => {
      this.reconnectPlanned = false;
      if (!this.quit && !this.connected && this.view.state !== "matched") this.connectAndEnqueue();
    });
  }

  private connectAndEnqueue(): void {
    const connection = this.host.connect(this);
    if (!connection) {
      this.scheduleReconnect(1_000);
      return;
    }
    this.connection = connection;
    this.connections.push(connection);
    for (const frame of this.openingFrames()) connection.clientSend(frame);
    this.view = { state: this.behaviour === "malformed-frames" || this.behaviour === "unknown-mode" ? "idle" : "awaiting" };
  }

  private enqueueFrame(): string {
    return encodeClientFrame({ type: "enqueue", player_id: this.id, game_mode: this.mode });
  }

  private openingFrames(): string[] {
    switch (this.behaviour) {
      case "malformed-frames":
        return [
          "{not json",
          "[1,2]",
          JSON.stringify({ type: "enqueue", player_id: 7, game_mode: this.mode }),
          JSON.stringify({ type: "teleport" }),
          JSON.stringify({ type: "loading_complete", loading_session_id: "zzz" }),
          // Well formed, for a session it was never in, before it ever enqueued.
          encodeClientFrame({ type: "loading_complete", loading_session_id: NO_SUCH_SESSION }),
          this.enqueueFrame(),
        ];
      case "unknown-mode":
        return [encodeClientFrame({ type: "enqueue", player_id: this.id, game_mode: "Ranked_5v5" })];
      case "floods":
        // A buggy or hostile client, on its first connection: another player's enqueue on the connection bound to
        // its own, a frame over the size limit, then a burst. Later connections enqueue as anyone does.
        if (this.connections.length > 1) return [this.enqueueFrame()];
        return [
          this.enqueueFrame(),
          encodeClientFrame({ type: "enqueue", player_id: SOMEONE_ELSE, game_mode: this.mode }),
          JSON.stringify({ type: "loading_complete", loading_session_id: NO_SUCH_SESSION, padding: "x".repeat(MAX_FRAME_BYTES) }),
          ...Array.from({ length: FLOOD_FRAMES }, () => this.enqueueFrame()),
        ];
      case "enqueues-twice":
        return [this.enqueueFrame(), this.enqueueFrame()];
      default:
        return [this.enqueueFrame()];
    }
  }

  private leave(): void {
    this.noteDisconnect();
    this.quit = true;
    this.connection?.clientClose();
    this.view = { state: "idle" };
  }

  private noteDisconnect(): void {
    const episode = this.lastEpisode;
    if (episode && episode.outcome === null && episode.disconnectedAt === null) episode.disconnectedAt = this.host.now();
  }

  /**
   * The server delivered a loading_complete frame of ours, on `connection` when the transport says which: the
   * episode it was sent in (a frame sent before a reconnect may land after the next episode began) measures from
   * here.
   */
  readyDelivered(session: string, connection?: PlayerConnection): void {
    const episode = this.episodes.findLast((each) => each.session === session);
    if (episode === undefined) return;
    if (episode.readyDeliveredAt === null) {
      episode.readyDeliveredAt = this.host.now();
      if (connection !== undefined) episode.readyConnection = connection;
      return;
    }
    const again = connection !== undefined && connection === episode.connection && connection !== episode.readyConnection;
    if (again && episode.readyAgain === undefined) episode.readyAgain = { at: this.host.now(), connection };
  }

  received(connection: PlayerConnection, text: string): void {
    const parsed = parseServerMessage(text);
    if (parsed.ok && parsed.value.type === "error" && parsed.value.message === ErrorText.replaced) this.replaced.add(connection);
    if (connection !== this.connection) return;
    if (!parsed.ok) {
      this.errors.push(`unparseable message: ${text}`);
      return;
    }
    this.handle(parsed.value);
  }

  private endEpisode(kind: NonNullable<LoadingEpisode["outcome"]>["kind"], text: string): void {
    const episode = this.lastEpisode;
    if (episode && episode.outcome === null && this.view.state === "loading") {
      episode.outcome = { at: this.host.now(), kind, text };
    }
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case "queued":
        // Told it is queued while loading: its session ended and the message saying why never came.
        this.endEpisode("requeued", "queued");
        this.view = { state: "queued" };
        return;
      case "start_loading": {
        const session = message.loading_session_id;
        const current = this.episodes.at(-1);
        if (this.view.state === "loading" && this.view.session === session && current !== undefined) {
          // Told again on the same connection (the server re-sent what it may have missed): nothing new. Told on a
          // new connection (the old one dropped, maybe with the ready it carried): the same episode, and the
          // client confirms its loading there.
          if (current.connection === this.connection) return;
          current.connection = this.connection;
          this.onLoading(session);
          return;
        }
        this.endEpisode("refused", "start_loading for another session");
        this.view = { state: "loading", session };
        this.episodes.push({ session, connection: this.connection, startedAt: this.host.now(), readyDeliveredAt: null, disconnectedAt: null, outcome: null });
        this.onLoading(session);
        return;
      }
      case "match_found":
        this.endEpisode("matched", message.session_id);
        this.matches.push({ session: message.session_id, address: message.server_address, at: this.host.now(), round: this.round });
        this.host.matched?.(this);
        this.view = { state: "matched", session: message.session_id, address: message.server_address };
        if (this.behaviour === "quits-after-match") {
          this.host.act(this, this.rng.int(0, 2_000), "quit after match", () => this.leave());
        }
        if (this.behaviour === "plays-again" && this.round === 0) {
          const [min, max] = this.rng.chance(0.5) ? SOON_AGAIN_MS : MUCH_LATER_MS;
          this.host.act(this, this.rng.int(min, max), "play again", () => this.playAgain());
        }
        return;
      case "error":
        this.onError(message.message);
    }
  }

  private onLoading(session: string): void {
    const connection = this.connection;
    const loadMs = loadingTime(this.behaviour, (min, max) => this.rng.int(min, max));
    if (loadMs !== null) {
      this.host.act(this, loadMs, "loading complete", () => {
        if (this.connection === connection && this.view.state === "loading" && this.view.session === session) {
          connection?.clientSend(encodeClientFrame({ type: "loading_complete", loading_session_id: session }));
        }
      });
    }
    if (this.behaviour === "quits-during-loading") {
      this.host.act(this, this.rng.int(0, 3_000), "quit during loading", () => {
        if (this.view.state === "loading") this.leave();
      });
    }
  }

  private onError(text: string): void {
    this.errors.push(text);
    if (FRAME_REFUSALS.has(text)) return;
    if (text === ErrorText.replaced) {
      // Not an outcome: this connection is being closed because another one of ours now holds our place.
      this.noteDisconnect();
      return;
    }
    if (text.includes(RETURNED_TO_QUEUE)) {
      this.endEpisode(text === ErrorText.timedOut ? "timed-out" : "requeued", text);
      this.view = { state: "queued" };
      return;
    }
    this.endEpisode("refused", text);
    this.view = { state: "idle" };
    // Told to enqueue again once too often, the player stops asking: no invariant may then expect it matched.
    if (this.reenqueues >= MAX_REENQUEUES) this.gaveUp = true;
    if (isWilling(this.behaviour) && !this.quit && !this.gaveUp) {
      this.reenqueues++;
      const connection = this.connection;
      this.host.act(this, this.rng.int(500, 2_000), "enqueue again", () => {
        if (this.connection === connection && this.connected && this.view.state === "idle") {
          this.view = { state: "awaiting" };
          connection?.clientSend(this.enqueueFrame());
        }
      });
    }
  }

  closedByServer(connection: PlayerConnection): void {
    if (connection !== this.connection) return;
    this.noteDisconnect();
    if (this.view.state !== "matched") this.view = { state: "idle" };
    if (isWilling(this.behaviour) && !this.quit && this.view.state !== "matched") {
      this.scheduleReconnect(this.rng.int(500, 3_000));
    }
  }
}
