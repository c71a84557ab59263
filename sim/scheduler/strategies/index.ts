import { Rng } from "../../random/rng.ts";
import type { Strategy, StrategyName } from "../strategy.ts";
import { PctStrategy } from "./pct.ts";
import { PreemptStrategy } from "./preempt.ts";
import { RandomStrategy } from "./random.ts";
import { LenientReplayStrategy } from "./lenient-replay.ts";
import { ReplayStrategy } from "./replay.ts";

export { LenientReplayStrategy, PctStrategy, PreemptStrategy, RandomStrategy, ReplayStrategy };

/** What picks a run's strategy: its name and seed, PCT's parameters, and a decision list to follow instead. */
export interface StrategyRequest {
  strategy: StrategyName;
  seed: number;
  pct: { depth: number; horizon: number };
  /** Follow these step ids (replay, shrinking); past their end, the oldest enabled step. */
  decisions?: readonly number[];
  /**
   * Follow `decisions` leniently: where they no longer fit the run, and past their end, the named strategy
   * decides, on a stream of the seed and this salt (guided fuzzing's mutations).
   */
  lenient?: string;
  /** Oldest first, always: the bare run the benchmark measures the harness's overhead against. */
  bare?: boolean;
}

/** An exploring strategy by name, drawing from `rng`. */
export function createStrategy(name: Exclude<StrategyName, "replay" | "check">, rng: Rng, pct: { depth: number; horizon: number }): Strategy {
  switch (name) {
    case "pct":
      return new PctStrategy(rng, pct.depth, pct.horizon);
    case "preempt":
      return new PreemptStrategy(rng);
    case "random":
      return new RandomStrategy(rng);
  }
}

/** The strategy a run follows: a decision list when it has one, else the named strategy on the seed's stream. */
export function strategyFor(request: StrategyRequest): Strategy {
  if (request.bare === true) return new ReplayStrategy([]);
  if (request.decisions !== undefined && request.lenient !== undefined && request.strategy !== "replay" && request.strategy !== "check") {
    const fallback = createStrategy(request.strategy, new Rng(`strategy:${request.seed}:${request.lenient}`), request.pct);
    return new LenientReplayStrategy(request.decisions, fallback, new Rng(`any-fault:${request.seed}:${request.lenient}`));
  }
  if (request.decisions !== undefined) return new ReplayStrategy(request.decisions);
  if (request.strategy === "replay" || request.strategy === "check") return new ReplayStrategy([]);
  return createStrategy(request.strategy, new Rng(`strategy:${request.seed}`), request.pct);
}
