import { findScenario } from "../scenarios/index.ts";
import type { FuzzJob } from "../sim/fuzz/job.ts";
import { runPool } from "../sim/fuzz/pool.ts";
import { runOnce } from "../sim/run/run-once.ts";
import type { StrategyName } from "../sim/scheduler/strategy.ts";
import { emptyProfile } from "../sim/world/world.ts";
import type { Variant } from "../src/server/match-server.ts";

/**
 * `npm run bench [-- --json] [-- --quick] [-- --speed]`: the harness's speed and bug-finding power on this machine.
 * `--speed` stops after throughput, overhead and time per step, with the full warm-up (--quick's is too short for
 * the JIT to settle, so its rates read low). A benchmark, not a test: it prints figures and judges nothing.
 */
const json = process.argv.includes("--json");
const quick = process.argv.includes("--quick");
const speedOnly = process.argv.includes("--speed");
const say = (text: string) => (json ? process.stderr : process.stdout).write(`${text}\n`);

const THROUGHPUT_SCENARIOS = ["cancel-vs-complete", "swarm"];
const DEFECT_SCENARIOS = ["cancel-vs-complete", "complete-vs-stale", "stale-sweep", "malformed-input"];
// Seeds to a first failure are geometric: medians of few ranges move by whole seeds between runs of the bench.
const RANGES = quick ? 8 : 100;
const RANGE_WIDTH = 10_000;
const MAX_SEEDS_PER_RANGE = 500;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function mean(values: number[]): number | null {
  return values.length === 0 ? null : round(values.reduce((sum, value) => sum + value, 0) / values.length, 2);
}

async function runs(scenario: string, server: Variant, seeds: number[], extra: { bare?: boolean } = {}) {
  const options = findScenario(scenario)!.options;
  let steps = 0;
  const started = performance.now();
  for (const seed of seeds) {
    const trace = await runOnce({ scenario, server, seed, strategy: "pct", options, ...extra });
    steps += trace.steps.length;
  }
  return { ms: performance.now() - started, steps };
}

/**
 * Runs timed per scenario, after `warmup` untimed ones: a fuzz campaign runs thousands of seeds per worker, so
 * the figure that matters is the rate once the JIT has compiled the hot code, not the first few hundred runs.
 */
function countFor(scenario: string): { warmup: number; timed: number } {
  if (scenario === "swarm") return quick ? { warmup: 1, timed: 3 } : { warmup: 2, timed: 10 };
  return quick ? { warmup: 200, timed: 400 } : { warmup: 1_000, timed: 3_000 };
}

async function throughput() {
  const single: Record<string, number> = {};
  const pair: Record<string, number> = {};
  const stepsPerRun: Record<string, number> = {};
  for (const scenario of THROUGHPUT_SCENARIOS) {
    const { warmup, timed } = countFor(scenario);
    const seeds = Array.from({ length: timed }, (_, i) => i);
    await runs(scenario, "fixed", seeds.slice(0, warmup).map((seed) => seed + 2_000_000));
    const { ms, steps } = await runs(scenario, "fixed", seeds);
    single[scenario] = round((seeds.length / ms) * 1000);
    stepsPerRun[scenario] = Math.round(steps / seeds.length);
    // Each worker warms up on its own: the rate counts the runs finished after the first `warmup` per worker,
    // over the time from that point to the last finish.
    const jobs: FuzzJob[] = Array.from({ length: 2 * (warmup + timed) }, (_, i) => ({ scenario, server: "fixed", seed: 1_000_000 + i, strategy: "pct" }));
    const finished: number[] = [];
    await runPool(jobs, 2, () => finished.push(performance.now()), () => false);
    const warm = 2 * warmup;
    const start = finished[warm - 1] as number;
    pair[scenario] = round(((finished.length - warm) / ((finished.at(-1) as number) - start)) * 1000);
    say(`  ${scenario.padEnd(20)} ${String(single[scenario]).padStart(8)} runs/s (1 worker)  ${String(pair[scenario]).padStart(8)} runs/s (2 workers)  ${stepsPerRun[scenario]} steps/run`);
  }
  return { single, pair, stepsPerRun };
}

async function overhead() {
  const seeds = Array.from({ length: quick ? 200 : 1_000 }, (_, i) => i);
  // Both modes warmed up (the throughput part warmed the full harness already).
  await runs("cancel-vs-complete", "fixed", seeds.slice(0, 200).map((seed) => seed + 3_000_000), { bare: true });
  const bare = await runs("cancel-vs-complete", "fixed", seeds, { bare: true });
  const full = await runs("cancel-vs-complete", "fixed", seeds);
  const ratio = round(full.ms / bare.ms, 2);
  say(`  cancel-vs-complete on fixed: full harness ${round(full.ms)} ms, straight through ${round(bare.ms)} ms: overhead ${ratio}x`);
  return ratio;
}

async function breakdown() {
  const profile = emptyProfile();
  const options = findScenario("cancel-vs-complete")!.options;
  for (let seed = 0; seed < (quick ? 100 : 500); seed++) {
    await runOnce({ scenario: "cancel-vs-complete", server: "fixed", seed, strategy: "pct", options, profile });
  }
  const perStep = (ms: number) => round((ms * 1000) / profile.steps, 2);
  const parts = { scheduler: perStep(profile.scheduler), server: perStep(profile.server), redis: perStep(profile.redis), checks: perStep(profile.checks) };
  say(`  µs per step: scheduler ${parts.scheduler}, server code ${parts.server}, simulated Redis ${parts.redis}, invariant checks ${parts.checks}`);
  return parts;
}

/**
 * Seeds until a run breaks one of the invariants the scenario's defect breaks (as the fc.scheduler hunt counts):
 * a run stopped by another violation first has not found this defect.
 */
async function timeToBug(scenario: string, strategy: StrategyName) {
  const { options, breaks } = findScenario(scenario)!;
  const seedsToBug: number[] = [];
  const msToBug: number[] = [];
  for (let range = 0; range < RANGES; range++) {
    const started = performance.now();
    for (let offset = 0; offset < MAX_SEEDS_PER_RANGE; offset++) {
      const trace = await runOnce({ scenario, server: "legacy", seed: range * RANGE_WIDTH + offset, strategy, options });
      if (trace.violations.some((violation) => breaks.includes(violation.invariant))) {
        seedsToBug.push(offset + 1);
        msToBug.push(performance.now() - started);
        break;
      }
    }
  }
  const medianSeeds = median(seedsToBug);
  const medianMs = median(msToBug);
  return { medianSeeds, meanSeeds: mean(seedsToBug), medianMs: medianMs === null ? null : round(medianMs), found: seedsToBug.length, ranges: RANGES };
}

/**
 * fast-check's fc.scheduler() hunting each defect. `drawn`: on the scenario's world with every action when the
 * player drew it, as a fast-check user would write it (the figure the targets compare with). `scenario`: inside
 * the harness's own world, which moves actions onto coincidences: the same worlds, only the scheduler differs.
 */
async function fcSchedulerBaseline(setup: "drawn" | "scenario"): Promise<Record<string, unknown> | null> {
  try {
    const module = (await import("./fc-scheduler/index.ts")) as {
      huntWithFcScheduler(defect: string, options: { firstSeed: number; maxSeeds: number; setup: "drawn" | "scenario" }): Promise<{ seeds: number | null; ms: number }>;
    };
    const results: Record<string, unknown> = {};
    for (const defect of DEFECT_SCENARIOS) {
      const seeds: number[] = [];
      const ms: number[] = [];
      for (let range = 0; range < RANGES; range++) {
        const hunt = await module.huntWithFcScheduler(defect, { firstSeed: range * RANGE_WIDTH, maxSeeds: MAX_SEEDS_PER_RANGE * 4, setup });
        if (hunt.seeds !== null) {
          seeds.push(hunt.seeds);
          ms.push(hunt.ms);
        }
      }
      const medianMs = median(ms);
      results[defect] = { medianSeeds: median(seeds), meanSeeds: mean(seeds), medianMs: medianMs === null ? null : round(medianMs), found: seeds.length, ranges: RANGES };
    }
    return results;
  } catch (error) {
    say(`  fc.scheduler baseline unavailable: ${(error as Error).message}`);
    return null;
  }
}

say("throughput");
const { single, pair, stepsPerRun } = await throughput();
say("overhead");
const overheadRatio = await overhead();
say("time per step");
const perStep = await breakdown();
if (speedOnly) {
  if (json) process.stdout.write(`${JSON.stringify({ runsPerSecond: single, runsPerSecondWorkers2: pair, overhead: overheadRatio, stepsPerRun, microsecondsPerStep: perStep })}\n`);
  process.exit(0);
}
say(`time to bug (legacy, ${RANGES} disjoint seed ranges, at most ${MAX_SEEDS_PER_RANGE} seeds each; medians)`);
type Hunt = { medianSeeds: number | null; meanSeeds: number | null; medianMs: number | null } | null;
const harnessHunts: Record<string, { pct: Hunt; random: Hunt; preempt: Hunt }> = {};
for (const scenario of DEFECT_SCENARIOS) {
  harnessHunts[scenario] = { pct: await timeToBug(scenario, "pct"), random: await timeToBug(scenario, "random"), preempt: await timeToBug(scenario, "preempt") };
}
// The harness's own peak, before the baseline: ioredis-mock and fast-check hold on to hundreds of megabytes.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const fc = await fcSchedulerBaseline("drawn");
const fcSameWorld = await fcSchedulerBaseline("scenario");
const timeToBugResult: Record<string, Record<string, unknown>> = {};
const show = (r: Hunt) =>
  r && r.medianSeeds !== null
    ? `${String(r.medianSeeds).padStart(4)} seeds (mean ${String(r.meanSeeds ?? "-").padStart(4)}) ${String(r.medianMs).padStart(7)} ms`
    : "    not found                     ";
for (const scenario of DEFECT_SCENARIOS) {
  const { pct, random, preempt } = harnessHunts[scenario]!;
  const fcResult = (fc?.[scenario] ?? null) as Hunt;
  const fcSameWorldResult = (fcSameWorld?.[scenario] ?? null) as Hunt;
  timeToBugResult[scenario] = { pct, random, preempt, fcScheduler: fcResult, fcSchedulerSameWorld: fcSameWorldResult };
  say(`  ${scenario}`);
  const rows: Array<[string, Hunt]> = [["pct", pct], ["random", random], ["preempt", preempt], ["fc.scheduler", fcResult], ["fc.scheduler, harness's world", fcSameWorldResult]];
  for (const [name, result] of rows) say(`    ${name.padEnd(30)} ${show(result)}`);
}
const peakRssMbWithBaseline = Math.round(process.resourceUsage().maxRSS / 1024);
say(`peak RSS ${peakRssMb} MB (harness), ${peakRssMbWithBaseline} MB after the fc.scheduler baseline`);
if (json) {
  process.stdout.write(
    `${JSON.stringify({
      runsPerSecond: single,
      runsPerSecondWorkers2: pair,
      overhead: overheadRatio,
      timeToBug: timeToBugResult,
      stepsPerRun,
      peakRssMb,
      peakRssMbWithBaseline,
      microsecondsPerStep: perStep,
    })}\n`,
  );
}
