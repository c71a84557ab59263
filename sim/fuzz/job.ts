import type { Variant } from "../../src/server/match-server.ts";
import type { InvariantName } from "../oracle/invariants.ts";
import type { WorldOptions } from "../scenario/options.ts";
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
  /** Overrides the scenario's faults-as-choices probabilities, every kind at this one, when set. */
  faultChoices?: number;
  /** Stop each run at its first violation. */
  stopAtFirst?: boolean;
  /** Guided fuzzing: return the run's decisions, options and fault strikes (what a corpus entry keeps). */
  record?: boolean;
  /** Guided fuzzing: a corpus run mutated, run in place of the scenario's world and strategy. */
  mutant?: Mutant;
  /** Guided fuzzing: where the job stands in its round, so that outcomes are learnt from in one order. */
  slot?: number;
}

export type MutationKind = "suffix" | "move-fault" | "add-fault" | "fault-at-probe" | "behaviour" | "world";

/** A corpus run changed: its world (a player's behaviour, a knob of its shape) and a decision list the run follows leniently. */
export interface Mutant {
  kind: MutationKind;
  options: WorldOptions;
  decisions: number[];
  /** What the strategy's stream is salted with where the list no longer fits: one per mutant. */
  salt: string;
}

/** What guided fuzzing keeps of a run to mutate it later. */
export interface Recording {
  options: WorldOptions;
  decisions: number[];
  /** Indices in `decisions` of the faults that struck by choice. */
  faultsAt: number[];
  /** Per probe the run hit, the indices in `decisions` of the steps its first hits came in. */
  hitSteps: Record<string, number[]>;
}

/** One distinct bug a failing run showed: a signature, with the first of its violations in the run. */
export interface FoundBug {
  signature: string;
  invariant: InvariantName;
  summary: string;
  message: string;
  step: number;
}

export interface FuzzOutcome {
  job: FuzzJob;
  /** The scenario's own name (a scenario file's job names its path). */
  scenario: string;
  verdict: Trace["verdict"];
  invariants: InvariantName[];
  /** Every distinct signature among the run's violations, in the order they were first seen. */
  bugs: FoundBug[];
  /** The signature of each of the run's violations, in their order. */
  signatures: string[];
  steps: number;
  /** Hits per probe of the run. */
  coverage: Record<string, number>;
  /** Only for failures: the whole trace, to write, report and shrink. */
  trace: Trace | null;
  /** Only for jobs that ask (`record`). */
  recording: Recording | null;
}
