import { SCENARIOS } from "../scenarios/index.ts";
import { runOnce } from "../sim/run/run-once.ts";
import type { StrategyName } from "../sim/scheduler/strategy.ts";
import { Causes } from "../sim/trace/causes.ts";
import { momentShape } from "../sim/trace/shape.ts";
import type { Trace, TraceStep } from "../sim/trace/trace.ts";
import type { Variant } from "../src/server/match-server.ts";

/**
 * `npm run bench:choices [-- --seeds N] [-- --server legacy|fixed]`: how often faults by choice reach the moments
 * they are for, per scenario and strategy, with the scenarios' own choice probabilities. A benchmark: it prints
 * figures and judges nothing.
 *
 * - crash: runs in which a crash struck by choice;
 * - mid-handler: runs in which one struck right after a Redis command of a handler that was still waiting on Redis;
 * - points: of the distinct (handler, command) points of the instances' handlers seen in these runs, the share
 *   right after which a crash struck in at least one run;
 * - window: runs in which an instance crashed after its handler deleted a loading session and before that handler
 *   re-queued anyone (legacy's cancel and stale sweep), the moment that loses a whole session's players.
 */
const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const seeds = Number(argument("--seeds") ?? 300);
const server = (argument("--server") ?? "legacy") as Variant;
const STRATEGIES: StrategyName[] = ["preempt", "pct", "random"];

interface Tally {
  runs: number;
  crash: number;
  midHandler: number;
  window: number;
  seen: Set<string>;
  struck: Set<string>;
}

const crashes = (trace: Trace): TraceStep[] =>
  trace.steps.filter((step) => step.event.kind === "fault" && step.event.fault === "crash" && step.event.note.endsWith("by choice"));

function point(step: TraceStep, causes: Causes): string {
  return `${momentShape(causes.root(step).event)} > ${momentShape(step.event)}`;
}

function crashAfterDelete(trace: Trace, causes: Causes): boolean {
  for (const step of trace.steps) {
    if (step.event.kind !== "redis" || step.event.command !== "DEL" || !step.event.writes.some((key) => key.startsWith("loading:"))) continue;
    const root = causes.root(step).id;
    for (const later of trace.steps.slice(step.i + 1)) {
      if (later.event.kind === "redis" && later.lane === step.lane && later.event.command === "SADD" && causes.root(later).id === root) break;
      if (later.event.kind === "fault" && later.event.fault === "crash" && step.lane === `instance:${later.event.target}`) return true;
    }
  }
  return false;
}

function record(tally: Tally, trace: Trace): void {
  const causes = new Causes(trace);
  tally.runs++;
  for (const step of trace.steps) if (step.event.kind === "redis" && step.lane.startsWith("instance:")) tally.seen.add(point(step, causes));
  const struck = crashes(trace);
  if (struck.length > 0) tally.crash++;
  let mid = false;
  for (const crash of struck) {
    const before = trace.steps[crash.i - 1];
    if (before?.event.kind !== "redis") continue;
    mid = true;
    tally.struck.add(point(before, causes));
  }
  if (mid) tally.midHandler++;
  if (crashAfterDelete(trace, causes)) tally.window++;
}

const percent = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`.padStart(6);

console.log(`faults by choice on ${server}, seeds 0..${seeds - 1} per scenario and strategy`);
console.log(`${"scenario".padEnd(20)} ${"strategy".padEnd(8)} ${"crash".padStart(6)} ${"mid-handler".padStart(11)} ${"window".padStart(6)} points`);
for (const scenario of SCENARIOS) {
  if (scenario.name === "swarm") continue;
  for (const strategy of STRATEGIES) {
    const tally: Tally = { runs: 0, crash: 0, midHandler: 0, window: 0, seen: new Set(), struck: new Set() };
    for (let seed = 0; seed < seeds; seed++) {
      record(tally, await runOnce({ scenario: scenario.name, server, seed, strategy, options: scenario.options }));
    }
    const covered = [...tally.seen].filter((key) => tally.struck.has(key)).length;
    console.log(
      `${scenario.name.padEnd(20)} ${strategy.padEnd(8)} ${percent(tally.crash, tally.runs)} ${percent(tally.midHandler, tally.runs).padStart(11)} ${percent(tally.window, tally.runs)} ${covered}/${tally.seen.size}`,
    );
  }
}
