import type { Variant } from "../../src/server/match-server.ts";
import type { Violation } from "../oracle/invariants.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { StepKind } from "../scheduler/step.ts";
import type { StrategyName } from "../scheduler/strategy.ts";

/** One executed step as the trace keeps it. `t` is virtual ms since the run began. */
export interface TraceStep {
  i: number;
  id: number;
  t: number;
  lane: string;
  kind: StepKind;
  label: string;
  detail: string;
}

export const TRACE_FORMAT = "match-race-sim/trace@1";

/** Everything needed to re-execute a run and to read it. */
export interface Trace {
  format: typeof TRACE_FORMAT;
  scenario: string;
  server: Variant;
  seed: number;
  strategy: StrategyName;
  options: WorldOptions;
  decisions: number[];
  verdict: "pass" | "fail" | "incomplete";
  violations: Violation[];
  steps: TraceStep[];
  hash: string;
}
