import { FAULT_KINDS } from "../faults/registry.ts";
import type { InvariantName } from "../oracle/invariants.ts";
import { rerun } from "../run/rerun.ts";
import { signaturesOf, type Signature } from "../signature/signature.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { Trace } from "../trace/trace.ts";

export interface ShrinkLimits {
  /** Wall-clock budget for the whole search. */
  budgetMs: number;
  /** Most runs the search may make. */
  maxRuns: number;
}

export const DEFAULT_SHRINK_LIMITS: ShrinkLimits = { budgetMs: 30_000, maxRuns: 400 };

export interface ShrinkResult {
  shrunk: Trace;
  invariant: InvariantName;
  runs: number;
}

/**
 * Smaller worlds to try, most drastic first: fewer players, less of each fault kind (each kind says how),
 * fewer instances and servers, and calmer timing.
 */
export function smallerWorlds(options: WorldOptions): WorldOptions[] {
  const candidates: WorldOptions[] = [];
  const { players } = options;
  if (players.length > 1) {
    const half = Math.ceil(players.length / 2);
    candidates.push({ ...options, players: players.slice(0, half) }, { ...options, players: players.slice(half) });
    for (let i = players.length - 1; i >= 0; i--) candidates.push({ ...options, players: players.filter((_, j) => j !== i) });
  }
  for (const kind of FAULT_KINDS) candidates.push(...kind.smaller(options));
  if (options.instances > 1) candidates.push({ ...options, instances: options.instances - 1 });
  if (options.servers > 1) candidates.push({ ...options, servers: options.servers - 1 });
  if (options.joinWindowMs > 0) candidates.push({ ...options, joinWindowMs: Math.floor(options.joinWindowMs / 2) });
  if (options.activeMs > 5_000) candidates.push({ ...options, activeMs: Math.floor(options.activeMs / 2) });
  return candidates;
}

/**
 * Minimises a failing run while the same bug (the same signature) still shows: first the world (greedy, restarting after every
 * success), then the schedule (the shortest prefix of the decision list that, followed by oldest-first choices,
 * still fails). The result is never longer than the input.
 */
export async function shrinkTrace(original: Trace, limits: ShrinkLimits = DEFAULT_SHRINK_LIMITS, signature?: string): Promise<ShrinkResult> {
  const first = original.violations[0];
  if (!first) throw new Error("shrinkTrace needs a failing trace");
  // The bug asked about: its signature, or the first violation's.
  const kept = signature ?? (signaturesOf(original)[0] as Signature).id;
  const invariant = original.violations[signaturesOf(original).findIndex((found) => found.id === kept)]?.invariant ?? first.invariant;
  const started = performance.now();
  let runs = 0;
  const affordable = () => runs < limits.maxRuns && performance.now() - started < limits.budgetMs;
  const stillFails = (trace: Trace) => trace.verdict === "fail" && signaturesOf(trace).some((found) => found.id === kept);

  let best = original;
  let progress = true;
  while (progress && affordable()) {
    progress = false;
    for (const options of smallerWorlds(best.options)) {
      if (!affordable()) break;
      runs++;
      const candidate = await rerun(original, { options, decisions: undefined });
      if (stillFails(candidate) && candidate.steps.length <= best.steps.length) {
        best = candidate;
        progress = true;
        break;
      }
    }
  }

  let low = 0;
  let high = best.decisions.length;
  while (low < high && affordable()) {
    const middle = Math.floor((low + high) / 2);
    runs++;
    const candidate = await rerun(original, { options: best.options, decisions: best.decisions.slice(0, middle) });
    if (stillFails(candidate) && candidate.steps.length <= best.steps.length) {
      best = candidate;
      high = Math.min(middle, best.decisions.length);
    } else {
      low = middle + 1;
    }
  }
  return { shrunk: best, invariant, runs };
}
