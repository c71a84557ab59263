import type { Rng } from "../random/rng.ts";
import type { Step } from "./step.ts";

export type StrategyName = "random" | "pct" | "preempt" | "replay";

export const STRATEGIES: readonly StrategyName[] = ["random", "pct", "preempt"];

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
 * A random walk that preempts whenever it can: the next step never comes from the lane (instance, player,
 * dedicated server) that ran last while another lane has a step enabled (then it is uniform among the others).
 * Races between handlers that each hold something across several round trips (a lock, a read-modify-write) need
 * a switch in the middle of a chain; PCT switches only at its few change points and uniform choice half the time,
 * this one every time. By lane rather than by channel: an instance's Redis connection, timers and sockets are
 * separate channels, and switching among them alone leaves the other instance waiting. Measured on the legacy
 * scenarios (600 seeds each), it breaks an invariant in as many runs as pct or random or more (cancel-vs-complete
 * 68% against pct's 42% and random's 51%); PCT stays ahead where a bug needs long runs without a switch.
 */
export class PreemptStrategy implements Strategy {
  private last: string | null = null;

  constructor(private readonly rng: Rng) {}

  choose(enabled: readonly Step[]): Step {
    let chosen: Step;
    if (enabled.length === 1) chosen = enabled[0] as Step;
    else {
      const others = enabled.filter((step) => step.lane !== this.last);
      chosen = this.rng.pick(others.length > 0 ? others : enabled);
    }
    this.last = chosen.lane;
    return chosen;
  }
}

/**
 * PCT (Burckhardt et al. 2010): each lane (instance, player, dedicated server: what a thread is in the paper) gets
 * a random priority on first sight; the highest enabled runs; at d-1 change points drawn uniformly in the first
 * `horizon` choices the running lane drops below all others. A bug of depth d is hit with probability at least
 * 1/(n * k^(d-1)). Only steps where there is a choice count towards k (a step with one candidate is no scheduling
 * decision), which keeps k small in long runs whose steps are mostly uncontended timer ticks. Priorities by lane
 * rather than by channel: with one priority per Redis connection, timer and socket, an instance's own channels
 * outrank each other and a change point lowers only one of them (600 legacy seeds of cancel-vs-complete, measured
 * with 0-2 ms hops: 38% of runs fail by lane, 25% by channel).
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

/** The strategy a run explores with, by name (replay is built from a decision list instead). */
export function createStrategy(name: Exclude<StrategyName, "replay">, rng: Rng, pct: { depth: number; horizon: number }): Strategy {
  switch (name) {
    case "pct":
      return new PctStrategy(rng, pct.depth, pct.horizon);
    case "preempt":
      return new PreemptStrategy(rng);
    case "random":
      return new RandomStrategy(rng);
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
