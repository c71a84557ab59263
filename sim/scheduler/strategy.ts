import type { Step } from "./step.ts";

export type StrategyName = "random" | "pct" | "preempt" | "replay" | "check";

/** The strategies a run may explore with (replay follows a recorded decision list instead). */
export const STRATEGIES: readonly StrategyName[] = ["random", "pct", "preempt"];

/** What a trace may say chose its steps: a strategy, or `sim check`'s exhaustive exploration. */
export const RECORDED_STRATEGIES: readonly StrategyName[] = [...STRATEGIES, "check"];

/** Picks the next step among the enabled ones (never an empty list). */
export interface Strategy {
  choose(enabled: readonly Step[], stepIndex: number): Step;
}

export class NonDeterminismError extends Error {
  override readonly name = "NonDeterminismError";
}
