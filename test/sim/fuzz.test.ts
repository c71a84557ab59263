import { describe, expect, it } from "vitest";
import type { FuzzJob, FuzzOutcome } from "../../sim/fuzz/job.ts";
import { Campaign } from "../../sim/fuzz/campaign.ts";
import { runPool } from "../../sim/fuzz/pool.ts";

const jobs = (): FuzzJob[] =>
  [0, 1, 2, 3, 4, 5].flatMap((seed) => [
    { scenario: "malformed-input", server: "legacy" as const, seed, strategy: "pct" as const },
    { scenario: "cancel-vs-complete", server: "legacy" as const, seed, strategy: "pct" as const },
  ]);

async function failures(workers: number): Promise<string[]> {
  const found: FuzzOutcome[] = [];
  await runPool(jobs(), workers, (outcome) => outcome.verdict === "fail" && found.push(outcome), () => false);
  return found.map((outcome) => `${outcome.job.scenario}#${outcome.job.seed}:${outcome.trace?.hash}`).sort();
}

describe("fuzzing", () => {
  it("finds the same failures, with the same traces, whatever the worker count", async () => {
    const one = await failures(1);
    const two = await failures(2);
    expect(one.length).toBeGreaterThan(0);
    expect(two).toEqual(one);
  });

  it("stops handing out work when told to", async () => {
    let outcomes = 0;
    await runPool(jobs(), 1, () => outcomes++, () => outcomes >= 3);
    expect(outcomes).toBe(3);
  });
});

describe("a campaign", () => {
  const outcomes = async (workers: number): Promise<FuzzOutcome[]> => {
    const found: FuzzOutcome[] = [];
    await runPool(jobs(), workers, (outcome) => found.push(outcome), () => false);
    return found;
  };

  it("keeps one trace per distinct bug, not one per failing run, and is the same whatever the order outcomes arrive in", async () => {
    const all = await outcomes(1);
    const forward = new Campaign(["malformed-input", "cancel-vs-complete"]);
    const backward = new Campaign(["malformed-input", "cancel-vs-complete"]);
    for (const outcome of all) forward.record(outcome);
    for (const outcome of [...all].reverse()) backward.record(outcome);
    // Bugs recur across runs: more sightings than distinct signatures.
    const sightings = [...forward.signatures.values()].reduce((sum, entry) => sum + entry.count, 0);
    expect(sightings).toBeGreaterThan(forward.signatures.size);
    const kept = new Set([...forward.signatures.values()].map((entry) => entry.smallest.trace));
    expect(kept.size).toBeLessThanOrEqual(forward.signatures.size);
    const summary = (campaign: Campaign) =>
      campaign.sortedSignatures().map((entry) => [entry.signature, entry.count, entry.firstSeed, entry.scenario, entry.smallest.seed, entry.smallest.steps]);
    expect(summary(backward)).toEqual(summary(forward));
    for (const entry of forward.signatures.values()) {
      const showing = all.filter((outcome) => outcome.bugs.some((bug) => bug.signature === entry.signature));
      expect(entry.count).toBe(showing.length);
      expect(entry.smallest.steps).toBe(Math.min(...showing.map((outcome) => outcome.steps)));
      expect(entry.firstSeed).toBe(Math.min(...showing.map((outcome) => outcome.job.seed)));
    }
  });

  it("names the malformed id's crash with one signature whatever the seed", async () => {
    const crashes = (await outcomes(1))
      .filter((outcome) => outcome.job.scenario === "malformed-input")
      .flatMap((outcome) => outcome.bugs.filter((bug) => bug.invariant === "no-crash" && bug.message.startsWith("TryMatch")));
    expect(crashes.length).toBeGreaterThan(2);
    expect(new Set(crashes.map((bug) => bug.signature)).size).toBe(1);
  });
});
