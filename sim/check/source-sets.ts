import { dependent } from "./dependence.ts";
import { asleep, type Decision, type Executed, type Path } from "./path.ts";
import { conservativePoint, costAt } from "./preemptions.ts";
import type { Choice } from "./target.ts";

const has = (bits: Uint32Array, index: number): boolean => (bits[index >>> 5] ?? 0) & (1 << (index & 31)) ? true : false;

function include(into: Uint32Array, bits: Uint32Array): void {
  for (let word = 0; word < bits.length; word++) into[word] = (into[word] as number) | (bits[word] as number);
}

function mark(bits: Uint32Array, index: number): void {
  bits[index >>> 5] = (bits[index >>> 5] as number) | (1 << (index & 31));
}

/** Bits 0..count-1 set. */
function prefix(length: number, count: number): Uint32Array {
  const bits = new Uint32Array(length);
  for (let index = 0; index < count; index++) mark(bits, index);
  return bits;
}

/**
 * The steps of `v` = notdep(race, E).step (Abdulla et al., POPL 2014): those after the racing step `race` and
 * before `step` that did not happen after it, then `step`; of these, the ones nothing earlier in `v` happened
 * before (the initials: whichever runs first, at the racing step's place, starts the reversed race).
 */
function initials(executed: readonly Executed[], race: number, step: number): Executed[] {
  const inV: number[] = [];
  for (let k = race + 1; k < step; k++) if (!has((executed[k] as Executed).happensAfter as Uint32Array, race)) inV.push(k);
  inV.push(step);
  const first: Executed[] = [];
  for (const [position, k] of inV.entries()) {
    const after = (executed[k] as Executed).happensAfter as Uint32Array;
    if (!inV.slice(0, position).some((earlier) => has(after, earlier))) first.push(executed[k] as Executed);
  }
  return first;
}

/**
 * Happens-before for the steps of the current schedule from `from` on (the ones before were analysed when they
 * first ran), and every race among them: a step and an earlier one of another channel that it depends on, with
 * no step in between that happened after the one and before the other, and not the step whose code made it.
 * Steps of earlier instants all happened before (nothing was due between). Each race is handed to `reverse` with
 * the initials of the sequence that would run the later step before the earlier one.
 */
export function findRaces(path: Path, from: number, reverse: (at: number, initials: readonly Executed[]) => void): void {
  const { decisions, executed } = path;
  for (let j = from; j < executed.length; j++) {
    const step = executed[j] as Executed;
    const words = (j >>> 5) + 1;
    const epoch = (decisions[j] as Decision).epoch;
    const before = prefix(words, epoch);
    const throughOthers = prefix(words, epoch);
    const racing: number[] = [];
    for (let i = epoch; i < j; i++) {
      const earlier = executed[i] as Executed;
      const ordered = i === step.causeIndex || earlier.choice.source === step.choice.source;
      if (!ordered && !dependent(earlier.footprint, step.footprint)) continue;
      if (!ordered) racing.push(i);
      mark(before, i);
      include(before, earlier.happensAfter as Uint32Array);
      include(throughOthers, earlier.happensAfter as Uint32Array);
    }
    step.happensAfter = before;
    for (const i of racing) if (!has(throughOthers, i)) reverse(i, initials(executed, i, j));
  }
}

/** An in-bound step of `wanted` due at a decision, the cheapest and then the oldest. */
function cheapest(decision: Decision, wanted: readonly Choice[], preemptions: number): Choice | undefined {
  let best: Choice | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const choice of wanted) {
    const cost = costAt(decision, choice);
    if (decision.preemptions + cost > preemptions || cost > bestCost || (cost === bestCost && best !== undefined && best.id < choice.id)) continue;
    best = choice;
    bestCost = cost;
  }
  return best;
}

/**
 * Adds to the backtrack set of decision `at` one initial of a race's reversal, unless one is there already or
 * asleep (explored elsewhere), or the bounds rule every one out. Initials that are not due there (options,
 * which every decision branches on anyway, or steps that need the racing step's move of the clock) cannot run
 * there. Says whether the initials were due there at all.
 */
function addInitial(decision: Decision, wanted: readonly Executed[], preemptions: number): boolean {
  if (decision.full) return true;
  const due = decision.steps.filter((step) => wanted.some((initial) => !initial.option && initial.choice.id === step.id));
  if (due.length === 0) return false;
  if (due.some((step) => decision.backtrack.has(step.id) || asleep(decision, step.id))) return true;
  const best = cheapest(decision, due, preemptions);
  if (best !== undefined) decision.backtrack.add(best.id);
  return true;
}

/**
 * Source-DPOR's backtracking for one race, under the preemption bound: an initial of the reversal at the racing
 * step's decision, and again at the conservative point (see preemptions.ts). Where no initial is due at the
 * conservative point, every in-bound step due there is added, as bounded partial-order reduction prescribes.
 */
export function reverseRace(path: Path, at: number, wanted: readonly Executed[], preemptions: number): void {
  addInitial(path.decisions[at] as Decision, wanted, preemptions);
  const point = conservativePoint(path, at);
  if (point === at) return;
  const decision = path.decisions[point] as Decision;
  if (addInitial(decision, wanted, preemptions)) return;
  for (const step of decision.steps) {
    if (!asleep(decision, step.id) && decision.preemptions + costAt(decision, step) <= preemptions) decision.backtrack.add(step.id);
  }
}
