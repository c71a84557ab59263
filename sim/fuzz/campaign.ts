import { mergeHits } from "../coverage/coverage.ts";
import type { InvariantName } from "../oracle/invariants.ts";
import type { Trace } from "../trace/trace.ts";
import type { FuzzOutcome } from "./job.ts";

/** Failing runs per scenario whose violations the JSON lists (lowest seeds first); the counts cover them all. */
export const LISTED_FAILURES = 50;

export interface ListedFailure {
  seed: number;
  violations: Array<{ invariant: InvariantName; message: string; step: number; signature: string }>;
}

export interface ScenarioTally {
  runs: number;
  incomplete: number;
  failures: number;
  /** The failing runs with the lowest seeds, at most LISTED_FAILURES, without their traces. */
  listed: ListedFailure[];
}

/** A run as a candidate for a signature's reproducer: the fewest steps win, then the lowest seed. */
interface Candidate {
  trace: Trace;
  scenario: string;
  seed: number;
  steps: number;
  /** A guided mutant's run: its seed alone does not make it again, its trace does. */
  mutated: boolean;
}

export interface SignatureEntry {
  signature: string;
  invariant: InvariantName;
  summary: string;
  /** Failing runs that showed it. */
  count: number;
  firstSeed: number;
  /** The scenario of the failing run with the lowest seed. */
  scenario: string;
  /** The smallest failing run that showed it: what gets shrunk and reported at the end. */
  smallest: Candidate;
  /** Runs the campaign had recorded when it was first seen, this one included: how long it took to find. */
  foundAfterRuns: number;
  /** Whether a guided mutant's run showed it first. */
  foundByMutant: boolean;
}

function smaller(a: Candidate, b: Candidate): boolean {
  return a.steps !== b.steps ? a.steps < b.steps : a.seed !== b.seed ? a.seed < b.seed : a.scenario < b.scenario;
}

/**
 * What a fuzz campaign found so far, in memory bounded by the number of distinct bugs, not of failing runs: per
 * scenario its counts and its lowest-seed failures (no traces); per signature its count, first seed and one
 * trace, its smallest failing run. Outcomes may arrive in any order (worker threads); everything kept is chosen
 * by seed and size, so the same seed range gives the same campaign whatever the order.
 */
export class Campaign {
  readonly scenarios = new Map<string, ScenarioTally>();
  readonly signatures = new Map<string, SignatureEntry>();
  /** Hits per probe over every run. */
  readonly coverage: Record<string, number> = {};
  runs = 0;
  failures = 0;

  constructor(
    scenarios: readonly string[],
    /** Told when a signature is seen for the first time, with the run that showed it. */
    private readonly discovered: (entry: SignatureEntry, trace: Trace) => void = () => {},
  ) {
    for (const name of scenarios) this.scenarios.set(name, { runs: 0, incomplete: 0, failures: 0, listed: [] });
  }

  record(outcome: FuzzOutcome): void {
    this.runs++;
    mergeHits(this.coverage, outcome.coverage);
    const tally = this.scenarios.get(outcome.job.scenario);
    if (!tally) return;
    tally.runs++;
    if (outcome.verdict === "incomplete") tally.incomplete++;
    if (outcome.verdict !== "fail" || outcome.trace === null) return;
    this.failures++;
    tally.failures++;
    this.list(tally, outcome);
    const seed = outcome.job.seed;
    const mutated = outcome.job.mutant !== undefined;
    const candidate: Candidate = { trace: outcome.trace, scenario: outcome.scenario, seed, steps: outcome.steps, mutated };
    for (const bug of outcome.bugs) {
      const known = this.signatures.get(bug.signature);
      if (!known) {
        const entry: SignatureEntry = { signature: bug.signature, invariant: bug.invariant, summary: bug.summary, count: 1, firstSeed: seed, scenario: outcome.scenario, smallest: candidate, foundAfterRuns: this.runs, foundByMutant: mutated };
        this.signatures.set(bug.signature, entry);
        this.discovered(entry, outcome.trace);
        continue;
      }
      known.count++;
      if (seed < known.firstSeed || (seed === known.firstSeed && outcome.scenario < known.scenario)) {
        known.firstSeed = seed;
        known.scenario = outcome.scenario;
      }
      if (smaller(candidate, known.smallest)) known.smallest = candidate;
    }
  }

  private list(tally: ScenarioTally, outcome: FuzzOutcome): void {
    const trace = outcome.trace as Trace;
    const listed = tally.listed;
    const seed = outcome.job.seed;
    if (listed.length >= LISTED_FAILURES && seed > (listed.at(-1) as ListedFailure).seed) return;
    const violations = trace.violations.map((v, i) => ({ invariant: v.invariant, message: v.message, step: v.step, signature: outcome.signatures[i] ?? "" }));
    listed.push({ seed, violations });
    listed.sort((a, b) => a.seed - b.seed);
    if (listed.length > LISTED_FAILURES) listed.pop();
  }

  /** Signatures, most often seen first (then by first seed). */
  sortedSignatures(): SignatureEntry[] {
    return [...this.signatures.values()].sort((a, b) => b.count - a.count || a.firstSeed - b.firstSeed || a.signature.localeCompare(b.signature));
  }
}
