import type { Rng } from "../random/rng.ts";
import type { Step } from "./step.ts";

export type StrategyName = "random" | "pct" | "replay";

export const STRATEGIES: readonly StrategyName[] = ["random", "pct"];

/** Picks the next step among the enabled ones. */
export interface Strategy {
  choose(enabled: readonly Step[], stepIndex: number): Step;
}

export class RandomStrategy implements Strategy {
  constructor(private readonly rng: Rng) {}
  choose(enabled: readonly Step[]): Step {
    return this.rng.pick(enabled);
  }
}

/**
 * PCT (Burckhardt et al. 2010): each source gets a random priority on first sight; the highest enabled runs;
 * at d-1 change points drawn uniformly in the first `horizon` choices the running source drops below all others.
 * A bug of depth d is hit with probability at least 1/(n * k^(d-1)). Only steps where there is a choice count
 * towards k (a step with one candidate is no scheduling decision), which keeps k small in long runs whose
 * steps are mostly uncontended timer ticks.
 */
export class PctStrategy implements Strategy {
  private readonly priorities = new Map<string, number>();
  private readonly changePoints: Set<number>;
  private lowered = 0;
  private choices = 0;

  constructor(
    private readonly rng: Rng,
    depth: number,
    horizon: number,
  ) {
    this.changePoints = new Set<number>();
    for (let i = 1; i < depth; i++) this.changePoints.add(rng.int(0, Math.max(0, horizon - 1)));
  }

  private priorityOf(source: string): number {
    let priority = this.priorities.get(source);
    if (priority === undefined) {
      // Above every lowered priority (which are <= 0), random among the rest.
      priority = 1 + this.rng.float();
      this.priorities.set(source, priority);
    }
    return priority;
  }

  choose(enabled: readonly Step[]): Step {
    let best = enabled[0] as Step;
    if (enabled.length === 1) return best;
    let bestPriority = this.priorityOf(best.source);
    for (let i = 1; i < enabled.length; i++) {
      const step = enabled[i] as Step;
      const priority = this.priorityOf(step.source);
      if (priority > bestPriority) {
        best = step;
        bestPriority = priority;
      }
    }
    if (this.changePoints.has(this.choices++)) this.priorities.set(best.source, -this.lowered++);
    return best;
  }
}

export class NonDeterminismError extends Error {
  override readonly name = "NonDeterminismError";
}

/**
 * Follows a recorded decision list (step ids). Past its end it takes the oldest enabled step, which is what
 * lets a shrunk, truncated schedule still run to completion.
 */
export class ReplayStrategy implements Strategy {
  constructor(private readonly decisions: readonly number[]) {}
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
