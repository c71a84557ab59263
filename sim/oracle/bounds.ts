import type { MatchConfig } from "../../src/config/config.ts";

/** Limits the oracle judges by, derived from the run's config and faults. */
export interface OracleBounds {
  /** How long a live session may exist before it is an orphan. */
  sessionLifetimeMs: number;
  /** A ready signal must reach the server this long before the deadline to be owed a match. */
  readyGraceMs: number;
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
   * The games a dedicated server (by address) created, with their players and when: lets the oracle excuse a
   * busy server whose players all left after the match was made, unknown to the server when it allocated (the
   * game server's own idle timeout is then what frees it). Absent (real runs): no excuse is made.
   */
  gamesOn?: (address: string) => ReadonlyArray<{ players: readonly string[]; createdAt: number }>;
  /**
   * How many dedicated server processes are up and host no game, by the world's own account: what a willing
   * player could still be given, whatever Redis says (a server that lost its registration is still free).
   * Absent (real runs): the servers Redis lists idle.
   */
  freeServers?: () => number;
  /**
   * Whether a game (by its server's `host:port` and its game session id) is over by the world's own account: its
   * server process died with it. Absent: a game ends only by `gameLengthMs`.
   */
  gameOver?: (server: string, session: string) => boolean;
}
