import type { Violation } from "../oracle/invariants.ts";
import { rosterOf } from "../players/roster.ts";
import { involvement } from "../report/involvement.ts";
import { rerun } from "../run/rerun.ts";
import type { WorldOptions } from "../scenario/options.ts";
import { signatureOf, type Signature } from "../signature/signature.ts";
import type { Trace } from "../trace/trace.ts";
import { Rng } from "../random/rng.ts";
import { createStrategy, ReplayStrategy } from "../scheduler/strategies/index.ts";
import type { Strategy } from "../scheduler/strategy.ts";
import { ddmin } from "./ddmin.ts";
import { GuidedStrategy, NamingStrategy } from "./guided.ts";
import { calmerTiming, fewerFaults, fewerMachines, shorterSettle, unusualPlayers, withBehaviours, withPlayers } from "./reductions.ts";

export interface ShrinkLimits {
  /** Wall-clock budget for the whole search. */
  budgetMs: number;
  /** Most runs the search may make. */
  maxRuns: number;
}

export const DEFAULT_SHRINK_LIMITS: ShrinkLimits = { budgetMs: 60_000, maxRuns: 2_000 };

export interface ShrinkResult {
  shrunk: Trace;
  /** The failure kept: the original violation's signature. */
  signature: Signature;
  /** The shrunk trace's violation with that signature. */
  violation: Violation;
  runs: number;
}

/** The violation of a trace with this signature, if it has one. */
export function violationWith(trace: Trace, signature: string): Violation | undefined {
  return trace.violations.find((violation) => signatureOf(trace, violation).id === signature);
}

/** Extra schedules (fresh random walks on other streams) a candidate gets when runs are cheap. */
const EXTRA_SCHEDULES = 2;
/** Runs of at most this many steps are cheap. */
const CHEAP_STEPS = 2_000;

/**
 * One search: the best trace so far (the smallest that still fails the same way) with the order its steps ran in,
 * the runs made and the budget left. A candidate counts when one of its violations has the target's signature:
 * the same invariant broken by the same cause, not merely the same invariant.
 */
class Search {
  best: Trace;
  /** The best trace's steps by name, in the order they ran (see NamingStrategy). */
  private order: string[] = [];
  runs = 0;
  private readonly started = performance.now();

  constructor(
    private readonly original: Trace,
    readonly signature: Signature,
    private readonly limits: ShrinkLimits,
  ) {
    this.best = original;
  }

  affordable = (): boolean => this.runs < this.limits.maxRuns && performance.now() - this.started < this.limits.budgetMs;

  /** Names the original's steps by running it again from its decisions. */
  async start(): Promise<void> {
    const naming = new NamingStrategy(new ReplayStrategy(this.original.decisions));
    await rerun(this.original, { chooser: naming });
    this.order = naming.order;
  }

  /**
   * The schedules a candidate world is tried under, until one fails the same way: the best trace's interleaving
   * of what the candidate kept, the trace's own strategy and seed, and when runs are cheap, fresh walks on other
   * streams (a smaller world's race may need another order than the one that found it). With decisions, those.
   */
  private *schedules(decisions: number[] | undefined): Generator<Strategy> {
    if (decisions !== undefined) {
      yield new ReplayStrategy(decisions);
      return;
    }
    yield new GuidedStrategy(this.order);
    const { strategy, seed, options } = this.original;
    const pct = { depth: options.pctDepth, horizon: options.pctHorizon };
    const name = strategy === "replay" || strategy === "check" ? "preempt" : strategy;
    yield createStrategy(name, new Rng(`strategy:${seed}`), pct);
    if (this.best.steps.length > CHEAP_STEPS) return;
    for (let k = 1; k <= EXTRA_SCHEDULES; k++) yield createStrategy(name, new Rng(`strategy:${seed}:shrink:${k}`), pct);
  }

  /**
   * Runs the candidate; it becomes the best when it fails the same way. A smaller world may take more steps (a
   * lost player keeps the world from settling, and it settles longer with fewer players to match); a shorter
   * schedule of the same world must not.
   */
  async accept(options: WorldOptions, decisions?: number[]): Promise<boolean> {
    for (const schedule of this.schedules(decisions)) {
      if (!this.affordable()) return false;
      this.runs++;
      const naming = new NamingStrategy(schedule);
      const candidate = await rerun(this.original, { options, chooser: naming });
      const ok = candidate.verdict === "fail" && (decisions === undefined || candidate.steps.length <= this.best.steps.length) && violationWith(candidate, this.signature.id) !== undefined;
      if (!ok) continue;
      this.best = candidate;
      this.order = naming.order;
      return true;
    }
    return false;
  }

  /** The first of the candidates that is accepted, if any. */
  async first(candidates: readonly WorldOptions[]): Promise<boolean> {
    for (const options of candidates) if (await this.accept(options)) return true;
    return false;
  }
}

/**
 * The cause first: the world with only the players the failure's causal slice involves, as it is and with fewer
 * machines (fewer players contend for fewer servers). On a big world (swarm's two hundred players) this is the
 * one run that removes nearly everyone, when it works.
 */
async function keepInvolved(search: Search): Promise<boolean> {
  const { best } = search;
  const violation = violationWith(best, search.signature.id);
  if (violation === undefined) return false;
  const involved = new Set(involvement(best, violation).players);
  const indices = rosterOf(best).flatMap((entry, index) => (involved.has(entry.id) ? [index] : []));
  if (indices.length === 0 || indices.length >= best.options.players.length) return false;
  const alone = withPlayers(best.options, indices);
  return search.first([alone, ...fewerMachines(alone)]);
}

/** Fewer players: delta debugging over them, halves first, down to one at a time. */
async function fewerPlayers(search: Search): Promise<boolean> {
  const before = search.best.options.players.length;
  const all = search.best.options.players.map((_, index) => index);
  const base = search.best.options;
  // Indices are into `base`; an accepted candidate is a subset of it, so every later candidate is too.
  await ddmin(all, (kept) => search.accept(withPlayers(base, kept)), search.affordable);
  return search.best.options.players.length < before;
}

/** Ordinary players: every unusual behaviour that the failure does not need becomes normal. */
async function normalBehaviours(search: Search): Promise<boolean> {
  const unusual = unusualPlayers(search.best.options);
  if (unusual.length === 0) return false;
  const base = search.best.options;
  if (await search.accept(withBehaviours(base, []))) return true;
  const kept = await ddmin(unusual, (subset) => search.accept(withBehaviours(base, subset)), search.affordable);
  return kept.length < unusual.length;
}

/** Each reduction of one dimension of the world, tried until none is accepted. */
async function untilStuck(search: Search, smaller: (options: WorldOptions) => WorldOptions[]): Promise<boolean> {
  let progress = false;
  while (search.affordable() && (await search.first(smaller(search.best.options)))) progress = true;
  return progress;
}

/**
 * The shortest prefix of the decision list that, followed by oldest-first choices, still fails the same way:
 * the schedule's choices after it did not matter.
 */
async function shorterSchedule(search: Search): Promise<void> {
  let low = 0;
  let high = search.best.decisions.length;
  while (low < high && search.affordable()) {
    const middle = Math.floor((low + high) / 2);
    if (await search.accept(search.best.options, search.best.decisions.slice(0, middle))) high = Math.min(middle, search.best.decisions.length);
    else low = middle + 1;
  }
}

/**
 * Minimises a failing run while it still fails the same way (its violation's signature): first the world, then
 * the schedule. The world, round after round until a round changes nothing: a shorter settle phase, the involved
 * players alone, fewer players by delta debugging, fewer faults, fewer instances and servers, ordinary behaviours
 * where the failure survives them, calmer timing. Every player kept keeps its identity and draws (see
 * WorldOptions.playerPositions), and a candidate runs first in the best trace's interleaving of what it kept (see
 * GuidedStrategy). Then the schedule: the shortest prefix of its decisions that still fails the same way.
 */
export async function shrinkTrace(original: Trace, limits: ShrinkLimits = DEFAULT_SHRINK_LIMITS, violation = original.violations[0]): Promise<ShrinkResult> {
  if (original.verdict !== "fail" || violation === undefined) throw new Error("shrinkTrace needs a failing trace");
  const signature = signatureOf(original, violation);
  const search = new Search(original, signature, limits);
  await search.start();
  let progress = true;
  while (progress && search.affordable()) {
    progress = false;
    if (await untilStuck(search, shorterSettle)) progress = true;
    // Once the world is calmer, the involved players alone may fail where they did not at first.
    if (await keepInvolved(search)) progress = true;
    if (await fewerPlayers(search)) progress = true;
    if (await untilStuck(search, fewerFaults)) progress = true;
    if (await untilStuck(search, fewerMachines)) progress = true;
    if (await normalBehaviours(search)) progress = true;
    if (await untilStuck(search, calmerTiming)) progress = true;
  }
  await shorterSchedule(search);
  const kept = violationWith(search.best, signature.id) ?? violation;
  return { shrunk: search.best, signature, violation: kept, runs: search.runs };
}
