import type { Variant } from "../../src/server/match-server.ts";
import type { InvariantName } from "../oracle/invariants.ts";
import type { StrategyName } from "../scheduler/strategy.ts";
import type { Trace } from "../trace/trace.ts";

export interface FuzzJob {
  /** A built-in scenario's name, or a scenario file's path. */
  scenario: string;
  server: Variant;
  seed: number;
  strategy: StrategyName;
  /** Overrides the scenario's `coincidence` when set. */
  coincidence?: number;
}

export interface FuzzOutcome {
  job: FuzzJob;
  verdict: Trace["verdict"];
  invariants: InvariantName[];
  steps: number;
  /** Only for failures: the whole trace, to report and shrink. */
  trace: Trace | null;
}
