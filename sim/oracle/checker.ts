import type { MatchConfig } from "../../src/config/config.ts";
import type { Player } from "../players/player.ts";
import type { OracleBounds, OracleOptions } from "./bounds.ts";
import type { Violation } from "./invariants.ts";
import type { Observations } from "./observations.ts";
import type { KeyspaceSource, ServerView } from "./server-view.ts";

/** Where in a run a check looks: after which step, at what virtual time (ms since the run began). */
export interface CheckPoint {
  step: number;
  at: number;
}

/** What a violation says besides which invariant and where: the checker's words, its kind, what it is about. */
export type Finding = Pick<Violation, "message" | "players" | "keys" | "kind">;

/** Read access to Redis for checkers that look past the variant's view: keys by glob pattern, values. */
export interface ReadOnlyRedis {
  /** Live keys matching a Redis glob pattern (`*` for all), sorted. */
  keys(pattern?: string): string[];
  inspect: KeyspaceSource["inspect"];
}

/** What a checker sees of a run: its players, its limits, what the oracle observed so far, and where to report. */
export interface CheckRun {
  players: ReadonlyMap<string, Player>;
  config: MatchConfig;
  bounds: OracleBounds;
  options: OracleOptions;
  observed: Observations;
  /** Redis as it is now, when the run is simulated; absent for a snapshot-judged real run. */
  redis?: ReadOnlyRedis;
  /**
   * Reports a violation of this checker's invariant at `point`. One per `dedupe` key: a run that breaks a thing
   * once usually goes on breaking it after every step.
   */
  report(point: CheckPoint, dedupe: string, finding: Finding): void;
}

/** The hooks of one checker in one run; each is optional. */
export interface CheckerHooks {
  /** After every step: the safety properties. */
  afterStep?(point: CheckPoint, view: ServerView): void;
  /** A player just received match_found. */
  matchReceived?(point: CheckPoint, player: Player): void;
  /** A handler let an error escape and its instance died. */
  escaped?(point: CheckPoint, instance: string, handler: string, error: unknown): void;
  /** Once the world has settled: the end-state properties. */
  atEnd?(point: CheckPoint, view: ServerView): void;
}

/**
 * One invariant: a module under `sim/oracle/checkers/` (or a scenario file's `checkers`) exporting this as its
 * default. The oracle runs the checkers in `rank` order, so the first violation a step reports is stable.
 */
export interface Checker {
  /** The invariant's name, as violations, reports and `--json` spell it. */
  name: string;
  /** What the invariant demands, in one clause (reports print it). */
  meaning: string;
  /** Order among checkers: lower runs first. */
  rank: number;
  /** Fresh hooks for one run. */
  create(run: CheckRun): CheckerHooks;
}
