import { assert } from "../../assert.ts";
import { weightedIndex } from "../../random/weighted.ts";
import type { Recording } from "../job.ts";

/**
 * Entries kept at most, and decisions kept over all of them (a big world's run is tens of thousands): past
 * either, the entries least worth mutating make room.
 */
export const CORPUS_LIMIT = 256;
const CORPUS_STEPS_LIMIT = 4_000_000;

/** A run worth mutating: what it hit first, and how to run it again. */
export interface CorpusEntry {
  scenario: string;
  seed: number;
  recording: Recording;
  /** New probes and new pairs of probes it was the first run to hit. */
  found: number;
  /** Mutants made from it so far. */
  picked: number;
  /** Steps its run took: what each of its mutants will cost, about. */
  steps: number;
}

/** What one run brought that no earlier run of the session had. */
export interface Novelty {
  probes: string[];
  pairs: number;
}

/**
 * Guided fuzzing's corpus (after greybox concurrency fuzzing, RFF): the runs that hit a probe, or a pair of
 * probes in one run, that no earlier run did. Pairs matter because most bugs need two things to happen in one
 * run (a rollback and a retry, a crash and a takeover), each of which alone is routine.
 */
export class Corpus {
  readonly entries: CorpusEntry[] = [];
  private readonly pairs = new Set<string>();
  /** Per probe hit so far, how many runs the session learnt from hit it. */
  private readonly runsHitting = new Map<string, number>();
  /** Decisions kept over all entries. */
  private steps = 0;

  /** What a run's hits add to what the session has seen (and remembers them). */
  learn(hits: Readonly<Record<string, number>>): Novelty {
    const hit = Object.keys(hits)
      .filter((probe) => (hits[probe] ?? 0) > 0)
      .sort();
    const probes = hit.filter((probe) => !this.runsHitting.has(probe));
    for (const probe of hit) this.runsHitting.set(probe, (this.runsHitting.get(probe) ?? 0) + 1);
    let pairs = 0;
    for (let i = 0; i < hit.length; i++) {
      for (let j = i + 1; j < hit.length; j++) {
        const pair = `${hit[i]}|${hit[j]}`;
        if (this.pairs.has(pair)) continue;
        this.pairs.add(pair);
        pairs++;
      }
    }
    return { probes, pairs };
  }

  /** Keeps a run that brought something new. */
  add(scenario: string, seed: number, recording: Recording, novelty: Novelty): void {
    const found = novelty.probes.length + novelty.pairs;
    const entry: CorpusEntry = { scenario, seed, recording, found, picked: 0, steps: recording.decisions.length };
    this.entries.push(entry);
    this.steps += entry.steps;
    while (this.entries.length > 1 && (this.entries.length > CORPUS_LIMIT || this.steps > CORPUS_STEPS_LIMIT)) {
      const worths = this.entries.map((kept) => this.worth(kept));
      let least = 0;
      for (let i = 1; i < this.entries.length; i++) if ((worths[i] as number) < (worths[least] as number)) least = i;
      this.steps -= (this.entries[least] as CorpusEntry).steps;
      this.entries.splice(least, 1);
    }
  }

  /** An entry to mutate, drawn with `uniform` in [0, 1): those that found more and were mutated less, likelier. */
  pick(uniform: number): CorpusEntry | null {
    if (this.entries.length === 0) return null;
    return this.entries[weightedIndex(this.entries.map((entry) => this.worth(entry)), uniform)] as CorpusEntry;
  }

  /**
   * How rare a probe is in the session, in (0, 1]: one over the square root of the runs that hit it (1 for one
   * no run hit). The root keeps a probe hit once from taking every mutant when the common ones were hit by
   * thousands of runs.
   */
  rarity(probe: string): number {
    return 1 / Math.sqrt(Math.max(1, this.runsHitting.get(probe) ?? 0));
  }

  /**
   * How much an entry deserves another mutant: what it found, and how rare the rarest probe it hit is (after
   * AFLFast and FairFuzz: runs through rarely taken branches are where mutants reach what others do not),
   * damped by the mutants it already had and by its length (a long world hits many pairs at once, and each of
   * its mutants costs as much as dozens of small ones).
   */
  private worth(entry: CorpusEntry): number {
    const hit = Object.keys(entry.recording.hitSteps);
    // A recording that names no probe (none hit, or a corpus fed by hand) counts as if its hits were unique.
    let rarest = hit.length === 0 ? 1 : 0;
    for (const probe of hit) rarest = Math.max(rarest, this.rarity(probe));
    const worth = (Math.log2(2 + entry.found) * rarest) / ((1 + entry.picked) * (1 + entry.steps / CHEAP_STEPS));
    assert(Number.isFinite(worth) && worth >= 0, `an entry's worth is a finite non-negative number (${worth})`);
    return worth;
  }

  get pairCount(): number {
    return this.pairs.size;
  }
}

/** Steps a run may take before its length starts to count against its mutants (AFL favours fast entries too). */
const CHEAP_STEPS = 5_000;
