import { SCENARIOS } from "../../scenarios/index.ts";
import { assert } from "../../sim/assert.ts";
import { mergeHits } from "../../sim/coverage/coverage.ts";
import type { FuzzJob } from "../../sim/fuzz/job.ts";
import { runJob } from "../../sim/fuzz/run-job.ts";
import type { BlindHunt } from "./outcome.ts";

/**
 * `tsx bench/mutants/hunt.ts A B BUDGET_S`, run inside a mutant's scratch copy (so it loads the mutated server):
 * seeds A..B of every scenario, seed by seed as `sim fuzz` orders them, each run stopped at its first violation,
 * the hunt stopped at the first failing run or when BUDGET_S seconds are spent. Prints one JSON line, a
 * BlindHunt. Runs in this thread: the runner hunts several mutants at once, one process each.
 */
function* jobs(from: number, to: number): Generator<FuzzJob> {
  for (let seed = from; seed <= to; seed++) {
    for (const scenario of SCENARIOS) yield { scenario: scenario.name, seed, server: "fixed", strategy: "preempt", stopAtFirst: true };
  }
}

async function hunt(from: number, to: number, budgetMs: number): Promise<BlindHunt> {
  assert(Number.isInteger(from) && Number.isInteger(to) && from <= to, `a seed range A..B with A <= B (got ${from}..${to})`);
  assert(budgetMs > 0, `a positive budget (got ${budgetMs} ms)`);
  const started = performance.now();
  const coverage: Record<string, number> = {};
  let runs = 0;
  let lastSeed = from - 1;
  for (const job of jobs(from, to)) {
    if (performance.now() - started >= budgetMs) return { kill: null, runs, lastSeed, seconds: (performance.now() - started) / 1000, coverage, budgetSpent: true };
    const outcome = await runJob(job);
    runs++;
    lastSeed = job.seed;
    mergeHits(coverage, outcome.coverage);
    if (outcome.verdict !== "fail") continue;
    const bug = outcome.bugs[0];
    assert(bug !== undefined, `a failing run names at least one bug (${job.scenario} seed ${job.seed})`);
    const kill = { scenario: outcome.scenario, seed: job.seed, invariant: bug.invariant, signature: bug.signature, summary: bug.summary };
    return { kill, runs, lastSeed, seconds: (performance.now() - started) / 1000, coverage, budgetSpent: false };
  }
  return { kill: null, runs, lastSeed, seconds: (performance.now() - started) / 1000, coverage, budgetSpent: false };
}

const [from, to, budget] = process.argv.slice(2).map(Number);
process.stdout.write(`${JSON.stringify(await hunt(from as number, to as number, (budget as number) * 1000))}\n`);
