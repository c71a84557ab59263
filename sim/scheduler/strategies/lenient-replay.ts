import type { Rng } from "../../random/rng.ts";
import type { FaultChooser } from "../fault-chooser.ts";
import type { Step } from "../step.ts";
import type { Strategy } from "../strategy.ts";

/**
 * In a decision list followed leniently: strike a fault on offer from this step on, any of those on offer at the
 * first step that has one (a guided mutation adding a fault where the recorded run had none; faults are offered
 * only while their kind is armed, so the exact step rarely has one). Recorded step ids are never negative.
 */
export const ANY_FAULT = -1;

/**
 * Follows a decision list where it can and lets an exploring strategy decide where it cannot: a step whose
 * recorded id is not enabled, and every step past the list's end (where faults by choice strike again as the
 * run's chooser says). What guided fuzzing runs its mutated lists with: a list re-decided, with a fault moved
 * or added, or recorded in a world whose player changed behaviour, stops matching its world somewhere, and the
 * run goes on from there instead of failing. The trace records what ran, so it replays strictly.
 */
export class LenientReplayStrategy implements Strategy {
  /** An ANY_FAULT was reached and no fault was on offer yet. */
  private owed = false;

  constructor(
    private readonly decisions: readonly number[],
    private readonly fallback: Strategy,
    /** Which of the faults on offer an ANY_FAULT strikes: not always the oldest, or one kind would take every one. */
    private readonly anyFault: Rng,
  ) {}

  choose(enabled: readonly Step[], stepIndex: number): Step {
    const wanted = this.decisions[stepIndex];
    if (wanted === ANY_FAULT) this.owed = true;
    if (wanted !== undefined) {
      for (const step of enabled) if (step.id === wanted) return step;
    }
    return this.fallback.choose(enabled, stepIndex);
  }

  /** The faults by choice of the list where it lasts, `after`'s past its end. */
  faults(after: FaultChooser): FaultChooser {
    return {
      chooseFault: (options, stepIndex, enabled) => {
        const wanted = this.decisions[stepIndex];
        if (this.owed || wanted === ANY_FAULT) {
          this.owed = false;
          return options.length === 0 ? null : this.anyFault.pick(options);
        }
        if (wanted === undefined) return after.chooseFault(options, stepIndex, enabled);
        return options.find((option) => option.id === wanted) ?? null;
      },
    };
  }
}
