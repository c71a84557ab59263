import type { Rng } from "../random/rng.ts";
import type { Step } from "./step.ts";

/** Decides, before the strategy picks an ordinary step, whether one of the options on offer strikes now. */
export interface FaultChooser {
  /** The option to run now, or null to let the strategy choose among the ordinary steps (`enabled`). */
  chooseFault(options: readonly Step[], stepIndex: number, enabled: readonly Step[]): Step | null;
}

/**
 * BUGGIFY-style choice (FoundationDB): each option strikes at a step where it is available with its kind's
 * probability for this run, drawn when the kind was enabled. Options are tried in creation order and the first
 * that strikes runs; draws come from a stream of their own, so a run with nothing on offer draws nothing.
 */
export class BuggifyChooser implements FaultChooser {
  constructor(
    private readonly rng: Rng,
    private readonly rateOf: (option: Step) => number,
  ) {}

  chooseFault(options: readonly Step[]): Step | null {
    for (const option of options) if (this.rng.chance(this.rateOf(option))) return option;
    return null;
  }
}

/** Never strikes: runs without options, and the bare baseline. */
export const NO_FAULTS_CHOSEN: FaultChooser = { chooseFault: () => null };
