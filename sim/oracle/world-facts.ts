import type { OperatorCounts } from "../variants/kit.ts";

/** A game a dedicated server created, as the server itself recorded it. */
export interface CreatedGame {
  /** The dedicated server's id and where it is reached (`host:port`). */
  server: string;
  address: string;
  /** The game session id the server answered, and the address it told the match server to send players to. */
  session: string;
  gameAddress: string;
  players: readonly string[];
  /** The idempotency key of the create call that made it (header, else body); null for a call without one. */
  key: string | null;
  /**
   * When it was created and when it ended (null while it runs), ms since the run began: its server's game-over,
   * or its server's process dying with it.
   */
  createdAt: number;
  endedAt: number | null;
  /** When its server said game over (its length ran out, and its release began); null while it runs or if it died. */
  overAt: number | null;
  /** When Redis learned it is over (its server's release_server answered released); null until then. */
  releasedAt: number | null;
}

/**
 * An instance taken away for a while: crashed (until a supervisor restarts its slot), paused, or deaf (its
 * subscriptions lost with their connection until the client restored them: what was published to it is lost).
 */
export interface Interruption {
  kind: "crash" | "pause" | "deaf";
  /** The slot (`i1`) and the incarnation's harness id (`i1.2`). */
  slot: string;
  instance: string;
  from: number;
  /** When it ends, if known: a pause's end; a crash ends when the slot's next incarnation starts. */
  until: number | null;
  /** Deaf because Redis was away: every connection broke, its presence renewals with them. */
  cutOff?: boolean;
}

/** Something other than the server wrote these keys at `at` (ms since the run began): a foreign writer. */
export interface ForeignWrite {
  at: number;
  keys: readonly string[];
}

/**
 * Redis restarted at `at` from a snapshot saved at `savedAt` (both ms since the run began): every write in between
 * was lost, acknowledged or not, and every key is as it was then.
 */
export interface RedisRollback {
  at: number;
  savedAt: number;
}

/** Redis's clock stepped by `byMs` (either way) at `at` (ms since the run began). */
export interface RedisClockJump {
  at: number;
  byMs: number;
}

/** How far Redis's clock is off the run's at `at`: the sum of the jumps struck by then. */
export function redisClockOffsetAt(jumps: readonly RedisClockJump[], at: number): number {
  let offset = 0;
  for (const jump of jumps) if (jump.at <= at) offset += jump.byMs;
  return offset;
}

/**
 * The run time, at or after `from`, at which Redis's clock first reads `durationMs` past what it read at `from`:
 * when a deadline a script set at `from` in Redis time falls due. Without clock jumps, `from + durationMs`; a jump
 * forward brings it closer, one back pushes it away, and one forward past it makes it due at the jump.
 */
export function whenRedisReaches(facts: WorldFacts, from: number, durationMs: number): number {
  const target = facts.redisTime(from) + durationMs;
  let start = from;
  // Between two jumps Redis's clock runs with the run's.
  for (const jump of facts.redisClockJumps()) {
    if (jump.at <= from) continue;
    const reached = start + Math.max(0, target - facts.redisTime(start));
    if (reached < jump.at) return reached;
    start = jump.at;
  }
  return start + Math.max(0, target - facts.redisTime(start));
}

/** What the variant's stats command reported for one instance once the run was over, or why it could not. */
export interface OperatorReport {
  instance: string;
  reported: OperatorCounts | string;
}

/**
 * What only a simulated world knows and a real run cannot tell: the dedicated servers it runs and the games they
 * created, the instances it interrupted, and the clock its Redis keeps. Checkers that need it judge only runs
 * that have it.
 */
export interface WorldFacts {
  /** The dedicated servers of the world, id -> `host:port`; any other server record is a foreign writer's. */
  servers: ReadonlyMap<string, string>;
  /** The game a dedicated server created under this game session id. */
  game(session: string): CreatedGame | undefined;
  /** Every game created so far, in creation order. */
  games(): readonly CreatedGame[];
  /** Every crash and pause so far, in the order they struck. */
  interruptions(): readonly Interruption[];
  /** Every foreign write so far, in the order they struck. */
  foreignWrites(): readonly ForeignWrite[];
  /** Every time Redis went back to an older snapshot so far, in the order they struck. */
  redisRollbacks(): readonly RedisRollback[];
  /** The operator's stats, read for each instance slot's last incarnation once the run is over (empty before). */
  operatorReports(): readonly OperatorReport[];
  /** Every step of Redis's clock so far, in the order they struck. */
  redisClockJumps(): readonly RedisClockJump[];
  /** Redis's clock (TIME, ms since the epoch) at a time of the run, its jumps included. */
  redisTime(at: number): number;
  /** How long a game on this server lasts once created (absent: games never end). */
  gameLengthOn(address: string): number | undefined;
  /**
   * How many dedicated server processes are up and host no game: what a willing player could still be given,
   * whatever Redis says (a server that lost its registration is still free).
   */
  freeServers(): number;
  /**
   * Since when the dedicated server with this id has had no process up (ms since the run began), or null while one
   * is up (a new one, if it died and another started).
   */
  serverDownSince(id: string): number | null;
  /** How long a dedicated server's registration lasts unrenewed: a dead server is reaped once it lapses. */
  serverRegistrationTtlMs: number;
  /**
   * The id an instance (by the harness's id, as connections and interruptions name it) calls itself in Redis: its
   * own, or the one a restart kept from its predecessor. Presence is listed under it.
   */
  serverIdOf(instance: string): string;
}

/** Some crash or pause struck in [from, to]. */
export function interruptedBetween(facts: WorldFacts, from: number, to: number): boolean {
  return facts.interruptions().some((each) => each.from <= to && (each.until === null || each.until >= from));
}
