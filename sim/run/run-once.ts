import type { Variant } from "../../src/server/match-server.ts";
import { HarnessAssertionError } from "../assert.ts";
import type { Checker } from "../oracle/checker.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { StrategyName } from "../scheduler/strategy.ts";
import { withLazyHash } from "../trace/lazy-hash.ts";
import { codeRevision } from "../trace/revision.ts";
import { TRACE_FORMAT, type Trace } from "../trace/trace.ts";
import { World, type RunRequest } from "../world/world.ts";

export interface RunSpec {
  scenario: string;
  /** Where a scenario loaded from a file lives; its checkers come with it in `checkers`. */
  scenarioFile?: string;
  checkers?: readonly Checker[];
  server: Variant;
  seed: number;
  strategy: StrategyName;
  options: WorldOptions;
  decisions?: readonly number[];
  /** Follow `decisions` leniently, the strategy taking over where they no longer fit (a salt for its stream). */
  lenient?: string;
  /** Stop at the first violation instead of going on to the end. */
  stopAtFirst?: boolean;
  chooser?: RunRequest["chooser"];
  observe?: RunRequest["observe"];
  onCommand?: RunRequest["onCommand"];
  bare?: boolean;
  profile?: RunRequest["profile"];
  lua?: RunRequest["lua"];
  hitSteps?: RunRequest["hitSteps"];
}

/** Runs one world to its verdict and returns its trace. A broken promise of the harness names the run it broke in. */
export async function runOnce(spec: RunSpec): Promise<Trace> {
  try {
    return await runWorld(spec);
  } catch (error) {
    if (error instanceof HarnessAssertionError) {
      throw new HarnessAssertionError(`${spec.scenario} on ${spec.server}, strategy ${spec.strategy}, seed ${spec.seed}: ${error.message}`);
    }
    throw error;
  }
}

async function runWorld(spec: RunSpec): Promise<Trace> {
  const world = new World({
    scenario: spec.scenario,
    variant: spec.server,
    seed: spec.seed,
    strategy: spec.strategy,
    options: spec.options,
    decisions: spec.decisions,
    lenient: spec.lenient,
    chooser: spec.chooser,
    observe: spec.observe,
    onCommand: spec.onCommand,
    bare: spec.bare,
    profile: spec.profile,
    lua: spec.lua,
    hitSteps: spec.hitSteps,
    checkers: spec.checkers,
    stopAtFirst: spec.stopAtFirst,
  });
  const result = await world.run();
  return withLazyHash({
    format: TRACE_FORMAT,
    scenario: spec.scenario,
    ...(spec.scenarioFile === undefined ? {} : { scenarioFile: spec.scenarioFile }),
    server: spec.server,
    seed: spec.seed,
    strategy: spec.strategy,
    options: spec.options,
    stopAtFirst: spec.stopAtFirst === true,
    decisions: result.decisions,
    verdict: result.verdict,
    violations: result.violations,
    steps: result.steps,
    revision: codeRevision(),
    coverage: result.coverage,
  });
}
