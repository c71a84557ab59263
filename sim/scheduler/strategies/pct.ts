import type { Rng } from "../../random/rng.ts";
import type { Step } from "../step.ts";
import type { Strategy } from "../strategy.ts";

/**
 * PCT (Burckhardt et al. 2010): each lane (instance, player, dedicated server: what a thread is in the paper) gets
 * a random priority on first sight; the highest enabled runs; at d-1 change points drawn uniformly in the first
 * `horizon` choices the running lane drops below all others. A bug of depth d is hit with probability at least
 * 1/(n * k^(d-1)). Only steps where there is a choice count towards k (a step with one candidate is no scheduling
 * decision), which keeps k small in long runs whose steps are mostly uncontended timer ticks. Priorities by lane
 * rather than by channel: with one priority per Redis connection, timer and socket, an instance's own channels
 * outrank each other and a change point lowers only one of them.
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

  private priorityOf(lane: string): number {
    let priority = this.priorities.get(lane);
    if (priority === undefined) {
      // Above every lowered priority (which are <= 0), random among the rest.
      priority = 1 + this.rng.float();
      this.priorities.set(lane, priority);
    }
    return priority;
  }

  choose(enabled: readonly Step[]): Step {
    let best = enabled[0] as Step;
    if (enabled.length === 1) return best;
    let bestPriority = this.priorityOf(best.lane);
    for (let i = 1; i < enabled.length; i++) {
      const step = enabled[i] as Step;
      const priority = this.priorityOf(step.lane);
      if (priority > bestPriority) {
        best = step;
        bestPriority = priority;
      }
    }
    if (this.changePoints.has(this.choices++)) this.priorities.set(best.lane, -this.lowered++);
    return best;
  }
}
