import type { Decision, Path } from "./path.ts";
import type { Choice } from "./target.ts";

/**
 * A choice's `lane` here is its preemption unit: for the world, a handler chain (world-target.ts), which is
 * what a thread is to loom; for the synthetic worlds of the tests, a lane.
 *
 * What choosing a step costs against the preemption bound: 1 when it switches away from the lane of the last
 * ordinary step while that lane still has a step due (a preemption), else 0. No lane is running at the start,
 * after time moved on because nothing was due, and after a fault choice (an outside event: the scheduler picks
 * afresh after it); then every choice is free. Options themselves cost nothing: the fault bound counts them.
 */
export function switchCost(lastLane: string | null, steps: readonly Choice[], chosen: { lane: string }): number {
  if (lastLane === null || chosen.lane === lastLane) return 0;
  return steps.some((step) => step.lane === lastLane) ? 1 : 0;
}

/** The cost of an alternative at a decision (0 for an option). */
export function costAt(decision: Decision, choice: Choice): number {
  return decision.options.some((option) => option.id === choice.id) ? 0 : switchCost(decision.lastLane, decision.steps, choice);
}

/**
 * Where a race found at decision `at` is reversed a second time, as bounded partial-order reduction does
 * (Coons, Musuvathi, McKinley, OOPSLA 2013): at the decision where the lane run that the step before `at`
 * belongs to began, or where the instant began if later. Switching to the racing step there costs what the
 * schedule paid to start that run, while switching at `at` may cost one more preemption than the bound has left,
 * which is how plain DPOR under a bound misses schedules the bound allows.
 */
export function conservativePoint(path: Path, at: number): number {
  const { decisions, executed } = path;
  const epoch = (decisions[at] as Decision).epoch;
  let start = at;
  while (start > epoch) {
    const before = executed[start - 1] as { option: boolean; choice: Choice };
    if (before.option) break;
    if (start < at && before.choice.lane !== (executed[start] as { choice: Choice }).choice.lane) break;
    start--;
  }
  return start;
}
