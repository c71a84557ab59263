import type { Rng } from "../../random/rng.ts";
import type { Step } from "../step.ts";
import type { Strategy } from "../strategy.ts";

/** Uniform among the enabled steps. */
export class RandomStrategy implements Strategy {
  constructor(private readonly rng: Rng) {}
  choose(enabled: readonly Step[]): Step {
    return this.rng.pick(enabled);
  }
}
