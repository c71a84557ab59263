import type { MatchConfig } from "../../src/config/config.ts";
import type { OperatorStats, RequeueReason } from "../variants/kit.ts";
import type { WorldFacts } from "./world-facts.ts";

/** Limits the oracle judges by, derived from the run's config and faults. */
export interface OracleBounds {
  /** How long a live session may exist before it is an orphan. */
  sessionLifetimeMs: number;
  /**
   * Where the world cannot say when a ready signal reached Redis (a real run), it must reach the server this long
   * before the deadline to be owed a match.
   */
  readyGraceMs: number;
  /** How long faults can hold an instance's work back (a pause), in ms. */
  stallMs: number;
}

/** Slack on a session's lifetime beyond every deadline and sweep that could end it, in ms. */
const SESSION_LIFETIME_SLACK_MS = 10_000;
const READY_GRACE_MS = 5_000;

export function boundsFor(config: MatchConfig, maxPauseMs: number): OracleBounds {
  const sweep = Math.max(config.staleSweepMs, config.matchTickMs);
  return {
    sessionLifetimeMs:
      config.loadingTimeoutMs + config.allocationTimeoutMs + config.allocationRequestTimeoutMs + sweep + maxPauseMs + SESSION_LIFETIME_SLACK_MS,
    readyGraceMs: READY_GRACE_MS,
    stallMs: maxPauseMs,
  };
}

export interface OracleOptions {
  /**
   * How long a game lasts from its creation, for runs whose dedicated servers host one game after another (the
   * real swarm). A game was created after its players' ready signals reached the server and before the first
   * match_found arrived; two games on one server are a double allocation only when, wherever they started in
   * those windows, they overlapped. Absent: games never end, and a second game on a server is one.
   */
  gameLengthMs?: number;
  /**
   * What a simulated world knows beyond Redis and the clients: its dedicated servers and the games they created,
   * its crashes and pauses, its Redis clock. Absent (real runs): the checkers that need it do not judge, and no
   * excuse that needs it is made.
   */
  world?: WorldFacts;
  /**
   * How long before its deadline a session may be timed out, by the precision of the server's deadlines (absent:
   * 2 s, for a server that keeps whole seconds).
   */
  earlyTimeoutToleranceMs?: number;
  /** What a re-queue error's text claims, in the variant's words (absent: every re-queue needs some explanation). */
  reasons?: (text: string) => RequeueReason | null;
  /** The oracle's own count of what the variant's stats command reports (absent: the variant has none). */
  operatorCounts?: OperatorStats["counted"];
}
