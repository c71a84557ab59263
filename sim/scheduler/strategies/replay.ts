import type { Step } from "../step.ts";
import type { FaultChooser } from "../fault-chooser.ts";
import { NonDeterminismError, type Strategy } from "../strategy.ts";

/**
 * Follows a recorded decision list (step ids), options that struck included. Past its end it takes the oldest
 * enabled step and no option, which is what lets a shrunk, truncated schedule still run to completion.
 */
export class ReplayStrategy implements Strategy, FaultChooser {
  constructor(private readonly decisions: readonly number[]) {}

  chooseFault(options: readonly Step[], stepIndex: number): Step | null {
    const wanted = this.decisions[stepIndex];
    return wanted === undefined ? null : (options.find((option) => option.id === wanted) ?? null);
  }

  choose(enabled: readonly Step[], stepIndex: number): Step {
    const wanted = this.decisions[stepIndex];
    if (wanted === undefined) return enabled[0] as Step;
    const step = enabled.find((candidate) => candidate.id === wanted);
    if (!step) {
      throw new NonDeterminismError(
        `replay diverged at step ${stepIndex}: step #${wanted} is not enabled (enabled: ${enabled.map((s) => s.id).join(", ")})`,
      );
    }
    return step;
  }
}
