import { assert } from "../../assert.ts";
import { Rng } from "../../random/rng.ts";
import type { FuzzJob, FuzzOutcome, MutationKind } from "../job.ts";
import type { WorkerPool } from "../pool.ts";
import { Corpus } from "./corpus.ts";
import { MUTATION_KINDS, mutate } from "./mutate.ts";

/**
 * Jobs per round. Rounds make a guided campaign deterministic: a round's jobs are drawn from the corpus as it
 * stood once the round ROUNDS_AHEAD before it was learnt from, and its outcomes are learnt from in the order the
 * jobs were drawn, whatever order the workers finish them in. A fixed size, so the worker count does not change
 * the campaign either.
 */
export const ROUND = 16;
/**
 * Rounds drawn before the earliest of them is learnt from: a worker that runs out of a round's jobs goes on with
 * the next round's instead of idling until the round's slowest job is in (one long world would hold up both).
 */
const ROUNDS_AHEAD = 2;
/**
 * Of a round, once the corpus holds anything, the mutants (the rest are fresh seeds): between these, in
 * proportion to what each kind of run found lately per step it took. Mutants that keep finding what fresh seeds
 * do not get more of the budget; when they find less, the campaign runs nearly as the blind one would, whose
 * fresh seeds find most bugs early.
 */
const LEAST_MUTANTS = 3;
const MOST_MUTANTS = 12;
/** How much of what each kind of run found is remembered from one round to the next. */
const MEMORY = 0.8;

/** What one kind of run (fresh or mutant) found lately, and in how many steps. */
interface Yield {
  found: number;
  steps: number;
}

/** What guided fuzzing did and what its mutants found that no run before them had. */
export interface GuidedReport {
  mutants: number;
  byKind: Record<MutationKind, number>;
  /** Per kind of mutation, the probes and pairs of probes its mutants hit first: which kinds earn their share. */
  foundByKind: Record<MutationKind, number>;
  /** Entries in the corpus at the end. */
  corpus: number;
  /** Probes a mutant hit first, by name. */
  newProbes: string[];
  /** Pairs of probes (hit in one run) a mutant hit first. */
  newPairs: number;
  /** Pairs of probes hit in one run by any run of the campaign. */
  pairs: number;
}

function perKind(): Record<MutationKind, number> {
  return Object.fromEntries(MUTATION_KINDS.map((kind) => [kind, 0])) as Record<MutationKind, number>;
}

/** What a mutant's job keeps of the campaign's settings. */
type Settings = Pick<FuzzJob, "server" | "strategy" | "stopAtFirst">;

/**
 * A guided campaign (`sim fuzz --guided`): rounds of fresh seeds, in the order the blind campaign would run
 * them, and mutants of the corpus's runs, each asked to record what it did.
 */
export class GuidedSession {
  readonly corpus = new Corpus();
  private readonly rng: Rng;
  /** Mutants drawn so far: each one's salt. */
  private drawn = 0;
  /** Mutants run. */
  private mutants = 0;
  private readonly byKind = perKind();
  private readonly foundByKind = perKind();
  private readonly newProbes: string[] = [];
  private newPairs = 0;
  /** What fresh runs and mutants found so far, decayed by round. */
  private readonly yields = { fresh: { found: 0, steps: 0 }, mutant: { found: 0, steps: 0 } };

  constructor(
    private readonly fresh: Iterator<FuzzJob>,
    private readonly settings: Settings,
    /** What the session's own draws are seeded with: the campaign's seed range and scenarios. */
    label: string,
  ) {
    this.rng = new Rng(`guided:${label}`);
  }

  /** The next round's jobs, numbered in the campaign's order from `firstSlot`; none once the fresh seeds ran out. */
  nextRound(firstSlot: number): FuzzJob[] {
    const jobs: FuzzJob[] = [];
    const freshCount = this.corpus.entries.length === 0 ? ROUND : ROUND - this.mutantShare();
    for (let i = 0; i < freshCount; i++) {
      const next = this.fresh.next();
      if (next.done) break;
      jobs.push({ ...next.value, record: true, slot: firstSlot + jobs.length });
    }
    if (jobs.length === 0) return jobs;
    while (jobs.length < ROUND) {
      const entry = this.corpus.pick(this.rng.float());
      if (entry === null) break;
      entry.picked++;
      const mutant = mutate(entry, this.rng, `g${this.drawn++}`, (probe) => this.corpus.rarity(probe));
      jobs.push({ scenario: entry.scenario, seed: entry.seed, ...this.settings, record: true, mutant, slot: firstSlot + jobs.length });
    }
    return jobs;
  }

  /** Mutants in the next round: their yield's share of both, within the bounds; half before either is known. */
  private mutantShare(): number {
    const { fresh, mutant } = this.yields;
    if (fresh.steps === 0 || mutant.steps === 0) return ROUND / 2;
    const rate = (y: Yield) => y.found / y.steps;
    const total = rate(mutant) + rate(fresh);
    const share = total === 0 ? 0.5 : rate(mutant) / total;
    return Math.min(MOST_MUTANTS, Math.max(LEAST_MUTANTS, Math.round(share * ROUND)));
  }

  /** Learns from a round's outcomes, in the order its jobs were drawn (the caller sorts them). */
  learn(outcomes: readonly FuzzOutcome[]): void {
    for (const y of [this.yields.fresh, this.yields.mutant]) {
      y.found *= MEMORY;
      y.steps *= MEMORY;
    }
    for (const outcome of outcomes) {
      const novelty = this.corpus.learn(outcome.coverage);
      const y = outcome.job.mutant === undefined ? this.yields.fresh : this.yields.mutant;
      y.found += novelty.probes.length + novelty.pairs;
      y.steps += outcome.steps;
      if (outcome.job.mutant !== undefined) {
        this.mutants++;
        this.byKind[outcome.job.mutant.kind]++;
        this.foundByKind[outcome.job.mutant.kind] += novelty.probes.length + novelty.pairs;
        this.newProbes.push(...novelty.probes);
        this.newPairs += novelty.pairs;
      }
      if ((novelty.probes.length > 0 || novelty.pairs > 0) && outcome.recording !== null) {
        this.corpus.add(outcome.job.scenario, outcome.job.seed, outcome.recording, novelty);
      }
    }
  }

  report(): GuidedReport {
    return {
      mutants: this.mutants,
      byKind: { ...this.byKind },
      foundByKind: { ...this.foundByKind },
      corpus: this.corpus.entries.length,
      newProbes: [...this.newProbes],
      newPairs: this.newPairs,
      pairs: this.corpus.pairCount,
    };
  }
}

/**
 * Runs a guided session on `pool` until it runs out of fresh seeds or `stop()` says so, ROUNDS_AHEAD rounds in
 * flight; outcomes go to `onOutcome` in the campaign's order (those after a job that never ran are dropped), and
 * a round is learnt from once all of it is in.
 */
export async function runGuided(session: GuidedSession, pool: WorkerPool, onOutcome: (outcome: FuzzOutcome) => void, stop: () => boolean): Promise<void> {
  const queue: FuzzJob[] = [];
  /** Per round drawn, the slot after its last job. */
  const roundEnds: number[] = [];
  let exhausted = false;
  const draw = (): void => {
    if (exhausted) return;
    const first = roundEnds.at(-1) ?? 0;
    const round = session.nextRound(first);
    if (round.length === 0) exhausted = true;
    else {
      queue.push(...round);
      roundEnds.push(first + round.length);
    }
  };
  for (let i = 0; i < ROUNDS_AHEAD; i++) draw();
  const waiting: Array<() => void> = [];
  const source = async (): Promise<FuzzJob | null> => {
    // Waits only while every drawn job is out: the next round is drawn once the earliest in flight is learnt from.
    while (queue.length === 0 && !exhausted && !stop()) await new Promise<void>((resolve) => waiting.push(resolve));
    return stop() ? null : (queue.shift() ?? null);
  };
  // Passed on in the campaign's order as soon as every earlier job's is in: a campaign stopped at its first bug
  // stops when it would in that order, not at the end of a round.
  const arrived = new Map<number, FuzzOutcome>();
  let passed = 0;
  let learnt = 0;
  let inRound: FuzzOutcome[] = [];
  const arrive = (outcome: FuzzOutcome): void => {
    assert(outcome.job.slot !== undefined && !arrived.has(outcome.job.slot), "a guided job's outcome comes in once, numbered");
    arrived.set(outcome.job.slot, outcome);
    for (let next = arrived.get(passed); next !== undefined; next = arrived.get(passed)) {
      arrived.delete(passed);
      passed++;
      onOutcome(next);
      inRound.push(next);
      if (passed !== roundEnds[learnt]) continue;
      session.learn(inRound);
      inRound = [];
      learnt++;
      draw();
      for (const wake of waiting.splice(0)) wake();
    }
  };
  await pool.run(source, arrive, stop);
}
