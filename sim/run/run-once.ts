import type { Variant } from "../../src/server/match-server.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { StrategyName } from "../scheduler/strategy.ts";
import { withLazyHash } from "../trace/lazy-hash.ts";
import { TRACE_FORMAT, type Trace } from "../trace/trace.ts";
import { World, type RunRequest } from "../world/world.ts";

export interface RunSpec {
  scenario: string;
  server: Variant;
  seed: number;
  strategy: StrategyName;
  options: WorldOptions;
  decisions?: readonly number[];
  observe?: RunRequest["observe"];
  onCommand?: RunRequest["onCommand"];
  bare?: boolean;
  profile?: RunRequest["profile"];
  lua?: RunRequest["lua"];
}

/** Runs one world to its verdict and returns its trace. */
export async function runOnce(spec: RunSpec): Promise<Trace> {
  const world = new World({
    scenario: spec.scenario,
    variant: spec.server,
    seed: spec.seed,
    strategy: spec.strategy,
    options: spec.options,
    decisions: spec.decisions,
    observe: spec.observe,
    onCommand: spec.onCommand,
    bare: spec.bare,
    profile: spec.profile,
    lua: spec.lua,
  });
  const result = await world.run();
  const body = {
    format: TRACE_FORMAT,
    scenario: spec.scenario,
    server: spec.server,
    seed: spec.seed,
    strategy: spec.strategy,
    options: spec.options,
    decisions: result.decisions,
    verdict: result.verdict,
    violations: result.violations,
    steps: result.steps,
  } as const;
  return withLazyHash(body);
}

/** Re-executes a recorded run from its decision list (replay, reports), with optional observers. */
export function rerun(trace: Trace, observers: Pick<RunSpec, "observe" | "onCommand" | "lua"> = {}): Promise<Trace> {
  const { scenario, server, seed, strategy, options, decisions } = trace;
  return runOnce({ scenario, server, seed, strategy, options, decisions, ...observers });
}
