import type { CheckBounds } from "./bounds.ts";
import { pending, RunGuide, RunStopped } from "./guide.ts";
import type { Decision, Path } from "./path.ts";
import { SPLIT_LEVELS, type Shard } from "./sharding.ts";
import { findRaces, reverseRace } from "./source-sets.ts";
import type { CheckTarget } from "./target.ts";

export interface ExploreSettings {
  bounds: CheckBounds;
  /** Dynamic partial-order reduction; false: plain bounded depth-first search. */
  reduce: boolean;
  shard: Shard;
  /** performance.now() after which no schedule starts, or null. */
  deadline: number | null;
}

/** What an exploration did. */
export interface Exploration {
  /** Schedules run to their end (this shard's). */
  schedules: number;
  /** Alternatives within the bounds that the reduction showed need no schedule, and runs stopped because every step due was asleep. */
  pruned: number;
  /** Every schedule within the bounds is covered (false: the budget ran out, or `visit` stopped it). */
  complete: boolean;
  /** How much of the tree the exploration covered, estimated from the branches known along the last path. */
  coverage: number;
  /** Subtree roots met, and this shard's among them. */
  roots: { met: number; owned: number };
}

/**
 * Where the reduction is conservative (explores more than one schedule per class, never fewer), so that what the
 * bound covers stays covered, as test/check/dpor-soundness.test.ts checks against plain bounded search:
 * - dependence (dependence.ts): steps of one preemption unit, of one channel, of one actor's memory (a process's
 *   in-memory state is not split by what it touches), steps that changed a same part of what the per-step checks
 *   read, a step and the units it made steps on, and every fault or step that moved the clock (global);
 * - instants: steps of an earlier instant all happened before the steps of a later one (source-sets.ts), so no race
 *   is reversed across a move of the clock, where a timer's due time orders the steps anyway;
 * - the bound: races are reversed a second time at the conservative point (preemptions.ts, after Coons et al.
 *   2013), and where no initial is due there every in-bound step is added; sleep sets put a step to sleep only
 *   where its own branch reached the schedules pruned within the bound (sleep-sets.ts);
 * - the first SPLIT_LEVELS branching decisions explore every alternative (sharding.ts).
 *
 * Explores every schedule of a deterministic target within the bounds, re-running it from scratch for each
 * (stateless, as loom and Nidhugg do): depth-first, the last decision with a branch left first. With reduction,
 * source-DPOR (Abdulla et al., POPL 2014) with sleep sets, made sound under the preemption bound as
 * preemptions.ts and sleep-sets.ts say. `visit` sees every schedule run to its end (its outcome and decisions)
 * and may stop the exploration by returning true.
 */
export async function explore<Outcome>(
  target: CheckTarget<Outcome>,
  settings: ExploreSettings,
  visit: (outcome: Outcome, decisions: readonly number[]) => boolean,
): Promise<Exploration> {
  const { bounds, reduce, shard, deadline } = settings;
  const path: Path = { decisions: [], executed: [] };
  let prefix: number[] = [];
  let schedules = 0;
  let pruned = 0;
  const rules = { bounds, reduce, splitLevels: SPLIT_LEVELS, enterRoot: () => shard.enter() };
  const isRoot = (decision: Decision) => decision.level === SPLIT_LEVELS - 1 && decision.alternatives.length > 1;

  /** The next schedule to run: the last decision with a branch left, or null once the tree is exhausted. */
  const nextPrefix = (): number[] | null => {
    for (let d = path.decisions.length - 1; d >= 0; d--) {
      const decision = path.decisions[d] as Decision;
      for (;;) {
        const next = [...decision.backtrack].filter((id) => pending(decision, id)).sort((a, b) => a - b)[0];
        if (next === undefined) break;
        decision.done.add(next);
        if (isRoot(decision) && !shard.enter()) continue;
        const chosen = path.decisions.slice(0, d).map((before) => (before.chosen as { id: number }).id);
        path.decisions.length = d + 1;
        path.executed.length = d;
        return [...chosen, next];
      }
      if (!decision.full) pruned += decision.alternatives.length - decision.done.size;
    }
    return null;
  };

  for (;;) {
    if (deadline !== null && performance.now() > deadline) {
      return { schedules, pruned, complete: false, coverage: coverage(path), roots: shard.roots };
    }
    const divergence = Math.max(0, prefix.length - 1);
    let outcome: { value: Outcome } | null = null;
    let stopped: RunStopped["why"] | null = null;
    try {
      outcome = { value: await target.run(new RunGuide(path, prefix, rules)) };
    } catch (error) {
      if (!(error instanceof RunStopped)) throw error;
      stopped = error.why;
    }
    if (stopped === "asleep") pruned++;
    if (outcome !== null && (path.decisions.some(isRoot) || shard.enter())) {
      schedules++;
      const decisions = path.decisions.map((decision) => (decision.chosen as { id: number }).id);
      if (visit(outcome.value, decisions)) return { schedules, pruned, complete: false, coverage: coverage(path), roots: shard.roots };
    }
    // A run stopped at another shard's root ran only steps above the roots, whose decisions explore every
    // alternative anyway: analysing it adds no branch, but keeps happens-before filled in for the next run.
    if (reduce) findRaces(path, divergence, (at, initials) => reverseRace(path, at, initials, bounds.preemptions));
    const next = nextPrefix();
    if (next === null) return { schedules, pruned, complete: true, coverage: 1, roots: shard.roots };
    prefix = next;
  }
}

/**
 * The share of the tree behind the current path: at each decision with branches, the finished ones (all but the
 * one being explored) out of those known, weighted by the share of the decision itself.
 */
function coverage(path: Path): number {
  let covered = 0;
  let weight = 1;
  for (const decision of path.decisions) {
    const known = decision.backtrack.size;
    if (known < 2) continue;
    covered += (weight * Math.max(0, decision.done.size - 1)) / known;
    weight /= known;
  }
  return covered;
}
