import { encodeClientFrame, encodeServerMessage, type ServerMessage } from "../../src/protocol/index.ts";
import { Keys } from "../../src/fixed/keys.ts";
import { FixedText } from "../../src/fixed/messages.ts";
import { Oracle, boundsFor, type OracleOptions } from "../../sim/oracle/oracle.ts";
import type { ServerView } from "../../sim/oracle/server-view.ts";
import type { ForeignWrite, Interruption, RedisRollback } from "../../sim/oracle/world-facts.ts";
import { Player, type PlayerConnection } from "../../sim/players/player.ts";
import { Rng } from "../../sim/random/rng.ts";
import type { RedisOutcome, StepEvent } from "../../sim/trace/events.ts";
import { KITS } from "../../sim/variants/index.ts";
import { config, view, worldFacts, type WorldBuild } from "./fixtures.ts";

/** A simulated connection as a test needs it: open until closed, on an instance. */
export interface TapeConnection extends PlayerConnection {
  clientOpen: boolean;
  serverClosedAt: number | null;
  instanceId: string;
  /** As frames name it: `c-<player>` for its first, `c-<player>-<n>` for its n-th. */
  traceId: string;
}

function connection(instanceId: string, traceId: string): TapeConnection {
  return { clientOpen: true, serverClosedAt: null, instanceId, traceId, clientSend: () => {}, clientClose: () => {}, clientDrop: () => {} };
}

/**
 * A run told step by step, as a world would tell the oracle: each step an event with the step that caused it, at
 * a time the test sets, with the view after it; players receive real frames and live their episodes through the
 * real client program.
 */
export class Tape {
  at = 0;
  private nextId = 0;
  private step = 0;
  private current: ServerView = view(() => {});
  /** Players told match_found during the step being told, as the world hands them to the oracle. */
  private readonly matchedNow: Player[] = [];
  readonly oracle: Oracle;
  readonly players: Player[];
  readonly interruptions: Interruption[] = [];
  readonly foreignWrites: ForeignWrite[] = [];
  readonly redisRollbacks: RedisRollback[] = [];
  /** Ready frames' steps -> the session each names. */
  private readonly readyFrames = new Map<number, string>();
  /** Enqueue frames' steps -> the player each is for. */
  private readonly enqueueFrames = new Map<number, string>();

  constructor(ids: string[], build: WorldBuild = {}, options: OracleOptions = {}) {
    this.players = ids.map((id) => {
      const host = { now: () => this.at, connect: () => null, act: () => {}, matched: (player: Player) => this.matchedNow.push(player) };
      const made = new Player(id, "Normal_1v1", "normal", host, new Rng(id));
      made.connection = connection("i1", `c-${id}`);
      made.connections.push(made.connection);
      return made;
    });
    const world = worldFacts({ ...build, interruptions: this.interruptions, foreignWrites: this.foreignWrites, redisRollbacks: this.redisRollbacks });
    this.oracle = new Oracle(this.players, config, boundsFor(config, 0), { world, reasons: KITS.fixed.requeueReason, ...options });
  }

  player(id: string): Player {
    const found = this.players.find((each) => each.id === id);
    if (!found) throw new Error(`no player ${id}`);
    return found;
  }

  /** The view from now on; the next step reports it. */
  set view(next: ServerView) {
    this.current = next;
  }

  /** A step that ran at the tape's time, made by `cause`; returns its id. */
  event(event: StepEvent, cause: number | null = null): number {
    const id = this.nextId++;
    for (const player of this.matchedNow.splice(0)) this.oracle.matchReceived(this.step, this.at, player);
    this.oracle.afterStep(this.step++, this.at, this.current, { id, cause, event });
    return id;
  }

  /**
   * A script the server ran, made by `cause`; `fixed:ready` made by a ready frame names that frame's session's key,
   * `fixed:enqueue` made by an enqueue frame its player's, as the real ones do.
   */
  redis(cause: number, outcome: RedisOutcome = "ok", script = "fixed:ready", footprint: { reads?: string[]; writes?: string[] } = {}): number {
    const { reads = [], writes = [] } = footprint;
    const session = script === "fixed:ready" ? this.readyFrames.get(cause) : undefined;
    const player = script === "fixed:enqueue" ? this.enqueueFrames.get(cause) : undefined;
    const keys = session !== undefined ? [Keys.session(session)] : player !== undefined ? [Keys.player(player)] : [];
    return this.event({ kind: "redis", client: "i1", command: "EVAL", script, keys, args: [], outcome, reply: null, error: null, reads, writes, readsAll: false }, cause);
  }

  /** A foreign writer writes `keys` now: a fault step of its own. */
  foreignWrite(keys: string[]): number {
    this.foreignWrites.push({ at: this.at, keys });
    return this.event({ kind: "fault", fault: "foreign-write", target: "", note: "", effect: `HSET ${keys.join(" ")}` });
  }

  /** Redis goes back to what it held at `savedAt`: a fault step of its own, showing the view set before it. */
  rollback(savedAt: number): number {
    this.redisRollbacks.push({ at: this.at, savedAt });
    return this.event({ kind: "fault", fault: "redis-rollback", target: "", note: `${this.at - savedAt} ms`, effect: "keys replaced" });
  }

  timer(name = "sweep"): number {
    return this.event({ kind: "timer", owner: "i1", timer: name });
  }

  /** A player's loading_complete reaches the server, on its current connection unless `on` says which. */
  ready(id: string, session: string, on?: TapeConnection): number {
    const text = encodeClientFrame({ type: "loading_complete", loading_session_id: session });
    const carrier = on ?? (this.player(id).connection as TapeConnection);
    this.player(id).readyDelivered(session, carrier);
    const frame = this.event({ kind: "frame-in", connection: carrier.traceId, instance: carrier.instanceId, player: id, text, dropped: false });
    this.readyFrames.set(frame, session);
    return frame;
  }

  /** A player's enqueue reaches the server, on its current connection unless `on` says which. */
  enqueue(id: string, on?: TapeConnection): number {
    const text = encodeClientFrame({ type: "enqueue", player_id: id, game_mode: "Normal_1v1" });
    const carrier = on ?? (this.player(id).connection as TapeConnection);
    const frame = this.event({ kind: "frame-in", connection: carrier.traceId, instance: carrier.instanceId, player: id, text, dropped: false });
    this.enqueueFrames.set(frame, id);
    return frame;
  }

  /** A message a script published reaches the player, on its current connection unless `on` says which: a delivery to the instance, then the frame. */
  tell(id: string, message: ServerMessage, cause: number, on?: TapeConnection): number {
    const text = encodeServerMessage(message);
    const delivered = this.event({ kind: "deliver", subscriber: "i1", channel: "inbox", message: text }, cause);
    const player = this.player(id);
    const carrier = on ?? (player.connection as TapeConnection);
    player.received(carrier, text);
    return this.event({ kind: "frame-out", connection: carrier.traceId, instance: carrier.instanceId, player: id, text, dropped: false }, delivered);
  }

  /**
   * The server answers a player with an error and closes that connection in the same work, as it does an enqueue
   * it cannot vouch for; `closes` false sends the error alone.
   */
  refuse(id: string, text: string, cause: number, closes = true): number {
    const player = this.player(id);
    const open = player.connection as TapeConnection;
    const frame = encodeServerMessage({ type: "error", message: text });
    player.received(open, frame);
    const sent = this.event({ kind: "frame-out", connection: open.traceId, instance: open.instanceId, player: id, text: frame, dropped: false }, cause);
    if (!closes) return sent;
    open.clientOpen = false;
    open.serverClosedAt = this.at;
    player.closedByServer(open);
    return this.event({ kind: "close", connection: open.traceId, instance: open.instanceId, player: id, by: "server", result: "closed" }, cause);
  }

  /** The player opens a new connection, to `instance`: what the server tells it from now on comes there. */
  reconnect(id: string, instance: string): void {
    const player = this.player(id);
    player.connection = connection(instance, `c-${id}-${player.connections.length + 1}`);
    player.connections.push(player.connection);
  }

  requeue(id: string, text: string, cause: number): number {
    return this.tell(id, { type: "error", message: text }, cause);
  }

  httpExchange(cause: number, reply: { status: number; fault?: "5xx" | "malformed" } = { status: 200 }): number {
    const request = this.event({ kind: "http-request", instance: "i1", server: "ds1", address: "ds1.sim:7000", url: "http://ds1.sim:7000/session/create", body: "{}", outcome: reply.fault ?? "handled" }, cause);
    return this.event({ kind: "http-reply", instance: "i1", address: "ds1.sim:7000", url: "", status: reply.status, body: "{}", fault: reply.fault ?? null, late: false }, request);
  }

  end(): void {
    this.oracle.atEnd(this.step, this.at, this.current);
  }

  invariants(): string[] {
    return this.oracle.violations.map((violation) => violation.invariant);
  }
}

export { FixedText };
