import { SCENARIOS } from "../scenarios/index.ts";
import { parseSeedRange } from "../sim/cli/parse-args.ts";
import { runOnce } from "../sim/run/run-once.ts";
import type { StrategyName } from "../sim/scheduler/strategy.ts";
import { DEFAULT_SHRINK_LIMITS, shrinkTrace } from "../sim/shrink/shrink.ts";
import { signatureOf } from "../sim/signature/signature.ts";
import type { Variant } from "../src/server/match-server.ts";

/**
 * `npx tsx bench/shrink.ts [--scenario NAME]... [--seeds A..B] [--server legacy|fixed] [--strategy S] [--json]`:
 * every failing seed of each scenario shrunk with the default limits; prints, per scenario, how many players and
 * steps the shrunk traces keep, how long shrinking took, and whether it kept the violation's signature.
 * A benchmark, not a test: it prints figures and judges nothing.
 */
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const json = args.includes("--json");
const say = (text: string) => (json ? process.stderr : process.stdout).write(`${text}\n`);
const scenarios = args.flatMap((arg, i) => (args[i - 1] === "--scenario" ? [arg] : []));
const names = scenarios.length > 0 ? scenarios : SCENARIOS.map((scenario) => scenario.name);
const { from, to } = parseSeedRange(flag("--seeds") ?? "0..99");
const server = (flag("--server") ?? "legacy") as Variant;
const strategy = (flag("--strategy") ?? "preempt") as StrategyName;

interface Shrunk {
  seed: number;
  players: [number, number];
  steps: [number, number];
  runs: number;
  ms: number;
  kept: boolean;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function histogram(values: number[]): string {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([value, count]) => `${value}: ${count}`).join(", ");
}

const results: Record<string, Shrunk[]> = {};
for (const name of names) {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const shrunk: Shrunk[] = [];
  for (let seed = from; seed <= to; seed++) {
    const trace = await runOnce({ scenario: name, server, seed, strategy, options: scenario.options });
    const violation = trace.violations[0];
    if (trace.verdict !== "fail" || violation === undefined) continue;
    const started = performance.now();
    const result = await shrinkTrace(trace, DEFAULT_SHRINK_LIMITS);
    const ms = Math.round(performance.now() - started);
    const target = signatureOf(trace, violation).id;
    const kept = result.shrunk.violations.some((v) => signatureOf(result.shrunk, v).id === target);
    shrunk.push({
      seed,
      players: [trace.options.players.length, result.shrunk.options.players.length],
      steps: [trace.steps.length, result.shrunk.steps.length],
      runs: result.runs,
      ms,
      kept,
    });
  }
  results[name] = shrunk;
  const after = shrunk.map((s) => s.players[1]);
  const steps = shrunk.map((s) => s.steps[1]);
  const times = shrunk.map((s) => s.ms);
  say(`${name} (${server}, ${strategy}, seeds ${from}..${to}): ${shrunk.length} failures`);
  if (shrunk.length === 0) continue;
  say(`  players after shrinking  ${histogram(after)}  (max ${Math.max(...after)})`);
  say(`  steps after shrinking    median ${percentile(steps, 0.5)}, p90 ${percentile(steps, 0.9)}, max ${Math.max(...steps)}`);
  say(`  time                     median ${percentile(times, 0.5)} ms, max ${Math.max(...times)} ms`);
  say(`  signature kept           ${shrunk.filter((s) => s.kept).length} of ${shrunk.length}`);
  const largest = [...shrunk].sort((a, b) => b.players[1] - a.players[1] || b.steps[1] - a.steps[1]).slice(0, 3);
  say(`  largest results          ${largest.map((s) => `seed ${s.seed}: ${s.players[1]} players, ${s.steps[1]} steps`).join("; ")}`);
}
if (json) process.stdout.write(`${JSON.stringify({ server, strategy, seeds: [from, to], results })}\n`);
