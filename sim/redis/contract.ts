import type { RedisArg, RedisReply } from "../../src/ports/index.ts";
import type { Footprint } from "./footprint.ts";
import type { KeyspaceSnapshot } from "./keyspace.ts";

/**
 * A Redis error reply (`ERR ...`, `WRONGTYPE ...`, `NOSCRIPT ...`); the message is Redis's text. A reply, not a
 * fault of the code that raised it, so no stack is captured: every run's first EVALSHA of each script raises
 * one, and a stack costs more than the rest of the command.
 */
export class RedisCommandError extends Error {
  override readonly name = "RedisCommandError";

  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** One message PUBLISH hands to one subscriber. `pattern` is set for PSUBSCRIBE matches. */
export interface Delivery {
  subscriber: string;
  channel: string;
  pattern: string | null;
  message: string;
}

export interface EngineOptions {
  /** Virtual time, milliseconds since the epoch: TTLs, PX, TIME. */
  now(): number;
  /** Seeded uniform [0, 1): SPOP, SRANDMEMBER, Lua math.random. */
  random(): number;
  /** Scripts compiled to JS where possible (the default), or always interpreted (conformance runs both). */
  lua?: "compiled" | "interpreted";
  /** Record the keys each command touches, for `lastFootprint` (the simulation's trace events). */
  footprints?: boolean;
  /**
   * What INFO's run_ids are derived from (absent: the simulation's own). Engines seeded apart never share a run_id,
   * as two Redis processes never do: the conformance suite's engine replays runs whose snapshot loads write the
   * simulation's run_ids (the fixed server's `{mm}:epoch`), which must not pass there for its own.
   */
  runIdSeed?: string;
  /** Called synchronously for every PUBLISH (from a client or from a script). */
  onPublish?(deliveries: readonly Delivery[]): void;
}

/** A key's contents for inspection (invariant checks, reports). Collections in Redis's own order. */
export type KeyValue =
  | { type: "string"; value: string }
  | { type: "set"; value: string[] }
  | { type: "hash"; value: Record<string, string> }
  | { type: "zset"; value: Array<[member: string, score: number]> }
  | { type: "list"; value: string[] };

/**
 * The simulated Redis: one in-memory keyspace, executing one command at a time, synchronously. Atomicity
 * is by construction: nothing else runs while a command or script executes.
 */
export interface SimulatedRedis {
  /** Executes one command. Throws RedisCommandError for an error reply. */
  execute(command: string, args: readonly RedisArg[]): RedisReply;
  subscribe(subscriber: string, channel: string): void;
  psubscribe(subscriber: string, pattern: string): void;
  /** Drops every subscription of a subscriber (its connection died). */
  disconnect(subscriber: string): void;
  /** Reads a key without side effects other than lazy expiry; null when missing or expired. */
  inspect(key: string): KeyValue | null;
  /**
   * One field of a hash, read in place (inspect copies the whole hash); null when the key is missing, expired or
   * not a hash, or has no such field.
   */
  field(key: string, field: string): string | null;
  /** Live keys, sorted. */
  keys(): string[];
  /** Moves whenever the live keyspace may have changed (a write, a removal, an expiry); equal means unchanged. */
  version(): number;
  /** The keys the last `execute` touched, when the engine was made with `footprints`; else null. */
  lastFootprint(): Footprint | null;
  /**
   * Every key as it is now, kept apart from later writes: what an RDB save writes to disk, loaded again by
   * FLUSHALL and the snapshot's `loadAt` commands.
   */
  snapshot(): KeyspaceSnapshot;
  /**
   * Redis's process starts again (a restart, or a replica promoted in its place): another run_id in INFO, every
   * script forgotten. The keyspace is the caller's to set (FLUSHALL for one that comes back empty, then a
   * snapshot's `loadAt` commands for one loaded from disk), and so are its clients' connections (`disconnect`).
   */
  restart(): void;
}

export type { KeyspaceSnapshot };

export type { RedisArg, RedisReply };
