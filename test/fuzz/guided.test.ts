import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { Corpus, CORPUS_LIMIT } from "../../sim/fuzz/guided/corpus.ts";
import { mutate } from "../../sim/fuzz/guided/mutate.ts";
import { GuidedSession, runGuided } from "../../sim/fuzz/guided/session.ts";
import type { FuzzJob, FuzzOutcome, Recording } from "../../sim/fuzz/job.ts";
import { WorkerPool } from "../../sim/fuzz/pool.ts";
import { Rng } from "../../sim/random/rng.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import { optionsProblem } from "../../sim/scenario/validate.ts";
import { ANY_FAULT } from "../../sim/scheduler/strategies/lenient-replay.ts";

const ROOT = join(import.meta.dirname, "../..");

/** The knobs of a world's shape that differ between `a` and `b`: `instances`, `faults.redisSlow`, ... */
function knobsChanged(a: WorldOptions, b: WorldOptions): string[] {
  const top = Object.keys({ ...a, ...b }).filter((key) => key !== "faults" && key !== "events" && JSON.stringify(a[key as keyof WorldOptions]) !== JSON.stringify(b[key as keyof WorldOptions]));
  const nested = (group: "faults" | "events") => {
    const x: Record<string, number | undefined> = { ...a[group] };
    const y: Record<string, number | undefined> = { ...b[group] };
    return Object.keys({ ...x, ...y })
      .filter((key) => x[key] !== y[key])
      .map((key) => `${group}.${key}`);
  };
  return [...top, ...nested("faults"), ...nested("events")];
}

function* fresh(seeds: number): Generator<FuzzJob> {
  for (let seed = 0; seed < seeds; seed++) {
    for (const scenario of ["happy-path", "cancel-vs-complete"]) yield { scenario, seed, server: "fixed", strategy: "preempt" };
  }
}

async function campaign(workers: number): Promise<{ runs: string[]; report: ReturnType<GuidedSession["report"]> }> {
  const session = new GuidedSession(fresh(20), { server: "fixed", strategy: "preempt" }, "test");
  const pool = new WorkerPool(workers);
  const runs: string[] = [];
  try {
    await runGuided(session, pool, (o: FuzzOutcome) => runs.push(`${o.scenario}#${o.job.seed} ${o.job.mutant?.kind ?? "fresh"} ${o.steps} ${JSON.stringify(o.coverage)}`), () => false);
  } finally {
    await pool.close();
  }
  return { runs, report: session.report() };
}

describe("guided fuzzing", () => {
  it("spends half of each round on mutants once the corpus holds runs, two rounds in flight, and is the same campaign whatever the worker count", async () => {
    const one = await campaign(1);
    const two = await campaign(2);
    expect(two).toEqual(one);
    expect(one.runs.filter((run) => run.includes(" fresh "))).toHaveLength(40);
    expect(one.report.mutants).toBe(one.runs.length - 40);
    expect(one.report.mutants).toBeGreaterThanOrEqual(8);
    expect(one.report.corpus).toBeGreaterThan(0);
  });

  it("keeps a run for a probe or a pair of probes no run hit before, and not for what was seen", () => {
    const corpus = new Corpus();
    expect(corpus.learn({ a: 1, b: 2 })).toEqual({ probes: ["a", "b"], pairs: 1 });
    expect(corpus.learn({ b: 5, a: 1 })).toEqual({ probes: [], pairs: 0 });
    expect(corpus.learn({ a: 1, b: 1, c: 0 })).toEqual({ probes: [], pairs: 0 });
    expect(corpus.learn({ a: 1, c: 1 })).toEqual({ probes: ["c"], pairs: 1 });
  });

  it("mutates a run in one way: a suffix re-decided, a fault moved, added or aimed at a rare probe's step, a player's behaviour or a knob of the world changed", () => {
    const options = findScenario("cancel-vs-complete")!.options;
    const recording: Recording = { options, decisions: Array.from({ length: 100 }, (_, i) => i + 1000), faultsAt: [50], hitSteps: { common: [10], rare: [70] } };
    const entry = { scenario: "cancel-vs-complete", seed: 1, recording, found: 3, picked: 0, steps: 100 };
    const rng = new Rng("mutations");
    const seen = new Set<string>();
    const aimedAt: number[] = [];
    const worldChanges: string[][] = [];
    for (let i = 0; i < 200; i++) {
      const mutant = mutate(entry, rng, `s${i}`, (probe) => (probe === "rare" ? 1 : 0.01));
      seen.add(mutant.kind);
      const { decisions } = mutant;
      if (mutant.kind === "suffix") expect(recording.decisions.slice(0, decisions.length)).toEqual(decisions);
      if (mutant.kind === "move-fault") {
        expect([...decisions].sort()).toEqual([...recording.decisions].sort());
        expect(decisions).not.toEqual(recording.decisions);
      }
      if (mutant.kind === "add-fault") expect(decisions.filter((d) => d === ANY_FAULT)).toHaveLength(1);
      if (mutant.kind === "fault-at-probe") {
        expect(decisions.filter((d) => d === ANY_FAULT)).toHaveLength(1);
        expect(decisions.filter((d) => d !== ANY_FAULT)).toEqual(recording.decisions);
        aimedAt.push(decisions.indexOf(ANY_FAULT));
      }
      if (mutant.kind === "world") {
        expect(decisions).toEqual(recording.decisions);
        expect(optionsProblem(mutant.options)).toBeNull();
        worldChanges.push(knobsChanged(options, mutant.options));
      }
      if (mutant.kind === "behaviour") {
        expect(decisions).toEqual(recording.decisions);
        expect(mutant.options.players.filter((p, j) => p !== options.players[j])).toHaveLength(1);
      }
    }
    expect([...seen].sort()).toEqual(["add-fault", "behaviour", "fault-at-probe", "move-fault", "suffix", "world"]);
    // One knob at most (a donor may happen to have the same value), and not always the same one.
    expect(worldChanges.every((changed) => changed.length <= 1)).toBe(true);
    expect(new Set(worldChanges.flat()).size).toBeGreaterThan(3);
    // Aimed within reach of where a probe was hit, the rare one's step (70) far likelier than the common one's (10).
    expect(aimedAt.every((at) => Math.abs(at - 10) <= 40 || Math.abs(at - 70) <= 40)).toBe(true);
    expect(aimedAt.filter((at) => at > 50).length).toBeGreaterThan((3 * aimedAt.length) / 4);
  });

  it("says in the campaign's JSON how many runs were mutants and what they reached first", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "bin/sim.mjs"), "fuzz", "--scenario", "happy-path", "--guided", "--seeds", "0..39", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() ?? "null");
    expect(summary.guided.mutants).toBe(summary.runs - 40);
    expect(summary.guided.mutants).toBeGreaterThan(0);
    expect(summary.guided).toMatchObject({ newProbes: expect.any(Array), newPairs: expect.any(Number), corpus: expect.any(Number) });
    const found = Object.values(summary.guided.foundByKind as Record<string, number>).reduce((sum, n) => sum + n, 0);
    expect(found).toBe(summary.guided.newProbes.length + summary.guided.newPairs);
    expect(Object.keys(summary.guided.foundByKind).sort()).toEqual(Object.keys(summary.guided.byKind).sort());
    expect(result.stderr).toMatch(/guided: \d+ of \d+ runs were mutants \(suffix \d+ → \d+ new, /);
  });
});

describe("the corpus", () => {
  it("makes room past its limit by dropping the entries least worth mutating, and picks the worthiest likelier", () => {
    const corpus = new Corpus();
    const options = findScenario("happy-path")!.options;
    const add = (found: number, steps: number) =>
      corpus.add("happy-path", found, { options, decisions: Array.from({ length: steps }, (_, i) => i), faultsAt: [], hitSteps: {} }, { probes: [], pairs: found });
    for (let i = 0; i < CORPUS_LIMIT; i++) add(1, 10);
    add(1_000, 10);
    expect(corpus.entries).toHaveLength(CORPUS_LIMIT);
    expect(corpus.entries.some((entry) => entry.found === 1_000)).toBe(true);
    const picks = Array.from({ length: 200 }, (_, i) => corpus.pick(i / 200)?.found);
    expect(picks.filter((found) => found === 1_000).length).toBeGreaterThan((3 * 200) / CORPUS_LIMIT);
  });

  it("counts a probe rarer the fewer runs hit it, and gives the entries through rare probes more mutants", () => {
    const corpus = new Corpus();
    const options = findScenario("happy-path")!.options;
    for (let run = 0; run < 99; run++) corpus.learn({ common: 1 });
    corpus.learn({ common: 1, rare: 1 });
    expect(corpus.rarity("rare")).toBe(1);
    expect(corpus.rarity("common")).toBeCloseTo(0.1);
    expect(corpus.rarity("never")).toBe(1);
    const add = (seed: number, hitSteps: Record<string, number[]>) =>
      corpus.add("happy-path", seed, { options, decisions: [0, 1, 2], faultsAt: [], hitSteps }, { probes: [], pairs: 1 });
    for (let seed = 0; seed < 9; seed++) add(seed, { common: [0] });
    add(9, { common: [0], rare: [2] });
    const picks = Array.from({ length: 100 }, (_, i) => corpus.pick(i / 100)?.seed);
    // One entry of ten holds the rare probe, ten times rarer: about half the picks.
    expect(picks.filter((seed) => seed === 9).length).toBeGreaterThan(40);
  });
});
