import { describe, expect, it } from "vitest";
import type { FuzzJob, FuzzOutcome } from "../../sim/fuzz/job.ts";
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
