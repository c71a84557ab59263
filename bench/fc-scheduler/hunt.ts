import fc from "fast-check";
import type { Violation } from "../../sim/oracle/invariants.ts";
import { isDefect, setupFor, type Defect, type SetupKind } from "./defects.ts";
import { ScheduledMockRedis } from "./mock-redis.ts";
import { withSeededMathRandom } from "./seeded-math-random.ts";
import { withVirtualDateNow } from "./virtual-date-now.ts";
import { FcWorld, type FcRunResult } from "./world.ts";

export interface HuntOptions {
  firstSeed: number;
  maxSeeds: number;
  /** Default `race`: see SetupKind. */
  setup?: SetupKind;
}

export interface HuntResult {
  /** fast-check seeds (one run each) up to and including the first failing one; null: none failed. */
  seeds: number | null;
  /** Wall time to the first failure, or of the whole hunt when none failed. */
  ms: number;
  /** The failing seed and what broke. */
  failure: { seed: number; violation: Violation } | null;
  /** Of `ms`, the time ioredis-mock spent in eval (it starts a Lua VM per call). */
  luaMs: number;
}

/**
 * One fast-check run of a defect's setup: fast-check generates the scheduler and the world's seed; the
 * property is "none of the invariants the scenario says the defect breaks is broken" (the harness oracle's
 * definitions). Returns the first such violation, or null.
 */
export async function runOnce(defect: Defect, setup: SetupKind, fcSeed: number): Promise<{ violation: Violation | null; run: FcRunResult | null }> {
  const { scenario, options, timing } = setupFor(defect, setup);
  const hunted = (run: FcRunResult) => run.violations.filter((violation) => scenario.breaks.includes(violation.invariant));
  let last: FcRunResult | null = null;
  const property = fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 0x7fffffff }), async (scheduler, worldSeed) => {
    const world = new FcWorld(scheduler, { options, seed: worldSeed, timing: timing?.(), breaks: scenario.breaks });
    last = await withSeededMathRandom(world.mathRandom(), () => withVirtualDateNow(world.clock(), () => world.run()));
    return hunted(last).length === 0;
  });
  const details = await fc.check(property, { seed: fcSeed, numRuns: 1, endOnFailure: true });
  const run: FcRunResult | null = last;
  const found = run === null ? [] : hunted(run);
  // A property that threw (a bug in this benchmark, not in the server) must not pass for a found defect.
  if (details.failed && found.length === 0) {
    throw new Error(`fc-scheduler benchmark run failed without a violation (seed ${fcSeed}): ${String(details.errorInstance)}`);
  }
  return { violation: details.failed ? (found[0] ?? null) : null, run };
}

/**
 * Hunts a seed defect with fast-check's own fc.scheduler() on ioredis-mock: fast-check seeds firstSeed,
 * firstSeed + 1, ... one run each (as `sim run --seed N --runs M` does), until a run breaks an invariant.
 */
export async function huntWithFcScheduler(defect: Defect, options: HuntOptions): Promise<HuntResult> {
  if (!isDefect(defect)) throw new Error(`unknown defect "${String(defect)}"`);
  const setup = options.setup ?? "race";
  const started = performance.now();
  const luaBefore = ScheduledMockRedis.luaMs;
  const elapsed = () => ({ ms: performance.now() - started, luaMs: ScheduledMockRedis.luaMs - luaBefore });
  for (let i = 0; i < options.maxSeeds; i++) {
    const seed = options.firstSeed + i;
    const { violation } = await runOnce(defect, setup, seed);
    if (violation) return { seeds: i + 1, failure: { seed, violation }, ...elapsed() };
  }
  return { seeds: null, failure: null, ...elapsed() };
}
