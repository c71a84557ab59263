import type { Footprint } from "./footprint.ts";

/** A step the explorer may choose: an ordinary step due now, or a fault on offer (an option). */
export interface Choice {
  /** The step's id: creation order, the same in every run that shares the decisions before it. */
  readonly id: number;
  readonly lane: string;
  readonly source: string;
}

/** What a run asks the explorer at every step, and tells it after. */
export interface Guide {
  /** The next step: one of `steps` (due now, in id order) or of `options` (faults on offer, in id order). */
  choose(steps: readonly Choice[], options: readonly Choice[], now: number): Choice;
  /** The step just chosen has run: what it touched, the step whose code made it, and virtual time after it. */
  ran(footprint: Footprint, cause: number | null, nowAfter: number): void;
}

/**
 * Something `sim check` explores: a deterministic world, run from scratch once per schedule, every choice left to
 * the guide. `run` rejects with whatever the guide threw (a run the explorer stopped early).
 */
export interface CheckTarget<Outcome> {
  run(guide: Guide): Promise<Outcome>;
}
