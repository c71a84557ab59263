import type { Step } from "./step.ts";

export type StrategyName = "random" | "pct" | "preempt" | "replay";

/** The strategies a run may explore with (replay follows a recorded decision list instead). */
export const STRATEGIES: readonly StrategyName[] = ["random", "pct", "preempt"];

/** Picks the next step among the enabled ones (never an empty list). */
export interface Strategy {
  choose(enabled: readonly Step[], stepIndex: number): Step;
}

export class NonDeterminismError extends Error {
  override readonly name = "NonDeterminismError";
}
