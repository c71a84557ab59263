import type { StepEvent, StepKind } from "../trace/events.ts";
import { isScriptCacheMiss } from "../trace/facts.ts";

/** A step as the world ran it: its id, the step whose code made it, and what it did. */
export interface Happened {
  id: number;
  cause: number | null;
  event: StepEvent;
}

/**
 * Kinds that start a chain of server work: a frame or close reaching the server, a timer, a player's action, a
 * fault. Every other kind continues the chain of the step that made it: a command's reply, an HTTP exchange, a
 * PUBLISH reaching a subscriber and the frame its listener sends on.
 */
const ORIGINS: ReadonlySet<StepKind> = new Set<StepKind>(["frame-in", "close", "timer", "client", "fault"]);

/**
 * The shortest latency any fault adds to a hop (a delayed message, a slow command or dedicated server: see
 * hopLatency and the simulated ports). Without a fault a hop takes no time, though the race window lets a step
 * run a few milliseconds after it was due.
 */
export const FAULT_DELAY_FLOOR_MS = 100;

/** What a step showed, as bits. */
export const Trouble = {
  /** A Redis command failed, or was lost before or after Redis ran it. */
  redis: 1,
  /** A request to a dedicated server failed: unreachable, a fault's 5xx or garbled reply, a 5xx, a timeout. */
  http: 2,
  /** The step ran at least a fault's latency after the step that made it (an HTTP exchange's end excepted). */
  delayed: 4,
  /** A command touched a key a foreign writer had written. */
  foreign: 16,
} as const;

/**
 * Ends of an HTTP exchange: however late, they come within the request's own timeout, so their wait is the
 * dedicated server's (flagged `http` when it failed), never a delay that holds the caller's work back further.
 */
const HTTP_ENDS: ReadonlySet<StepKind> = new Set<StepKind>(["http-reply", "http-timeout"]);

/** The view before the step had no idle dedicated server of the world's own. */
const NO_IDLE_BEFORE = 8;
const NOT_RUN = -2;
const NO_CAUSE = -1;

/** Which replies of a dedicated server are its refusal rather than an answer: its own 5xx (registry unavailable). */
function refused(status: number): boolean {
  return status >= 500;
}

function troubleOf(event: StepEvent): number {
  switch (event.kind) {
    case "redis":
      // A cold script cache is routine: the client sends the script itself next (isScriptCacheMiss).
      return event.outcome === "ok" || isScriptCacheMiss(event) ? 0 : Trouble.redis;
    case "http-request":
      return event.outcome === "handled" ? 0 : Trouble.http;
    case "http-reply":
      return event.fault !== null || refused(event.status) ? Trouble.http : 0;
    case "http-timeout":
      return Trouble.http;
    default:
      return 0;
  }
}

/**
 * The causal record of a simulated run, step by step: for each step that ran, when, the step that made it, the
 * step that started its chain (its origin), and the trouble it showed. Kept in arrays indexed by step id, as
 * every step of a run is recorded. Checkers ask it why something happened: a message's chain back to the frame,
 * close or timer that set it going, and whether a fault touched that chain.
 */
export class StepEvidence {
  private causes = new Int32Array(256).fill(NOT_RUN);
  private times = new Float64Array(256);
  private origins = new Int32Array(256);
  private flags = new Uint8Array(256);
  /** The events of origin steps: what started each chain. */
  private readonly originEvents = new Map<number, StepEvent>();
  /** Per origin: the trouble any step of its chain showed so far. */
  private readonly originTrouble = new Map<number, number>();
  /** When a step whose chain began at a timer last showed trouble: periodic work was held back or failed. */
  lastTimerTroubleAt = Number.NEGATIVE_INFINITY;
  /** When a timer last fired: periodic work runs only while timers do (not once the servers have stopped). */
  lastTimerAt = Number.NEGATIVE_INFINITY;

  private grow(id: number): void {
    if (id < this.causes.length) return;
    let size = this.causes.length;
    while (size <= id) size *= 2;
    const causes = new Int32Array(size).fill(NOT_RUN);
    causes.set(this.causes);
    this.causes = causes;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const origins = new Int32Array(size);
    origins.set(this.origins);
    this.origins = origins;
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
  }

  /**
   * Keys a foreign writer wrote, for the rest of the run: a footprint cannot tell a write that cleans a key (a
   * record rewritten whole) from one that leaves the spoiled field (a takeover's HSET of two others). Only the
   * keys themselves: what a script then wrote elsewhere from what it read there is not followed.
   */
  private readonly tainted = new Set<string>();

  /** A foreign writer wrote these keys: a command that reads one of them shows foreign trouble until it is rewritten. */
  taint(keys: readonly string[]): void {
    for (const key of keys) this.tainted.add(key);
  }

  /** A foreign writer wrote this key at some time so far. */
  foreignWritten(key: string): boolean {
    return this.tainted.has(key);
  }

  private readsTainted(event: StepEvent): number {
    if (event.kind !== "redis" || this.tainted.size === 0) return 0;
    // A footprint lists a key read and written among its writes only: the script read it first all the same.
    return event.reads.some((key) => this.tainted.has(key)) || event.writes.some((key) => this.tainted.has(key)) ? Trouble.foreign : 0;
  }

  /** Records a step that just ran at `at` (ms since the run began); `noIdleBefore` as the view before it showed. */
  record(happened: Happened, at: number, noIdleBefore: boolean): void {
    const { id, cause, event } = happened;
    this.grow(id);
    const known = cause !== null && cause < this.causes.length && this.causes[cause] !== NOT_RUN;
    const origin = ORIGINS.has(event.kind) || !known ? id : (this.origins[cause] as number);
    let trouble = troubleOf(event) | this.readsTainted(event);
    if (known && !ORIGINS.has(event.kind) && !HTTP_ENDS.has(event.kind) && at - (this.times[cause] as number) >= FAULT_DELAY_FLOOR_MS) trouble |= Trouble.delayed;
    this.causes[id] = cause ?? NO_CAUSE;
    this.times[id] = at;
    this.origins[id] = origin;
    this.flags[id] = trouble | (noIdleBefore ? NO_IDLE_BEFORE : 0);
    if (origin === id) this.originEvents.set(id, event);
    if (event.kind === "timer") this.lastTimerAt = at;
    if (trouble !== 0) {
      this.originTrouble.set(origin, (this.originTrouble.get(origin) ?? 0) | trouble);
      if (this.originEvents.get(origin)?.kind === "timer") this.lastTimerTroubleAt = at;
    }
  }

  ran(id: number): boolean {
    return id >= 0 && id < this.causes.length && this.causes[id] !== NOT_RUN;
  }

  /** The step that started the chain `id` belongs to. */
  originOf(id: number): number {
    return this.origins[id] as number;
  }

  /** What the origin step of a chain did. */
  originEvent(origin: number): StepEvent | undefined {
    return this.originEvents.get(origin);
  }

  /** The trouble any step begun by `origin` showed so far. */
  troubleOf(origin: number): number {
    return this.originTrouble.get(origin) ?? 0;
  }

  /** The step that made step `id`, when it ran and is known. */
  causeOf(id: number): number | undefined {
    const cause = this.causes[id];
    return cause === undefined || cause < 0 || !this.ran(cause) ? undefined : cause;
  }

  /** When step `id` ran, ms since the run began; undefined for a step not recorded. */
  timeOf(id: number): number | undefined {
    return this.ran(id) ? this.times[id] : undefined;
  }

  /**
   * The path from a step back to its origin, through the steps that made each other: the trouble on that path,
   * and whether any step on it found no idle dedicated server. A message's path is the work that produced it.
   */
  path(id: number): { trouble: number; noIdleServer: boolean; origin: number } {
    let trouble = 0;
    let noIdle = false;
    let current = id;
    for (;;) {
      const flags = this.flags[current] as number;
      trouble |= flags & ~NO_IDLE_BEFORE;
      noIdle ||= (flags & NO_IDLE_BEFORE) !== 0;
      const cause = this.causes[current] as number;
      if (this.origins[current] === current || cause < 0 || !this.ran(cause)) return { trouble, noIdleServer: noIdle, origin: current };
      current = cause;
    }
  }
}
