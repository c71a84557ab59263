import { findScenario, SCENARIOS } from "../scenarios/index.ts";
import { checkOptions } from "../sim/check/check-options.ts";
import { explore } from "../sim/check/explorer.ts";
import { WHOLE } from "../sim/check/sharding.ts";
import { worldTarget } from "../sim/check/world-target.ts";
import type { Variant } from "../src/server/match-server.ts";

/**
 * `npm run bench:check [-- --scenario NAME] [-- --server legacy|fixed] [-- --seed N] [-- --preemptions K]
 * [-- --faults F] [-- --budget SECONDS]`: the same bounded check of a scenario's check size twice, with
 * partial-order reduction and as plain bounded depth-first search: schedules, seconds, schedules per second on
 * this one core, and the end states and verdicts each reached (the same sets when both were exhausted, as the
 * reduction promises). A benchmark: it prints figures and judges nothing.
 */
const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const name = argument("--scenario") ?? "cancel-vs-complete";
const scenario = findScenario(name);
if (scenario === undefined) {
  process.stderr.write(`unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(", ")})\n`);
  process.exit(2);
}
const server = (argument("--server") ?? "legacy") as Variant;
const seed = Number(argument("--seed") ?? 0);
const bounds = { preemptions: Number(argument("--preemptions") ?? 0), faults: Number(argument("--faults") ?? 0) };
const budgetMs = Number(argument("--budget") ?? 600) * 1000;
const options = checkOptions(scenario, bounds.faults);

interface Reached {
  schedules: number;
  complete: boolean;
  seconds: number;
  ends: Set<string>;
  verdicts: Set<string>;
}

async function check(reduce: boolean): Promise<Reached> {
  const ends = new Set<string>();
  const verdicts = new Set<string>();
  const started = performance.now();
  const result = await explore(
    worldTarget({ scenario: scenario!.name, checkers: scenario!.checkers, server, seed, options }),
    { bounds, reduce, shard: WHOLE(), deadline: started + budgetMs },
    (outcome) => {
      ends.add(outcome.final);
      verdicts.add(outcome.violations.map((violation) => violation.invariant).sort().join(",") || "pass");
      return false;
    },
  );
  return { schedules: result.schedules, complete: result.complete, seconds: (performance.now() - started) / 1000, ends, verdicts };
}

console.log(`${name} on ${server}, seed ${seed}, K=${bounds.preemptions}, F=${bounds.faults} (${options.players.length} players, ${options.instances} instance(s), ${options.servers} server(s))`);
const reduced = await check(true);
const plain = await check(false);
for (const [label, reached] of [["DPOR", reduced], ["plain DFS", plain]] as const) {
  console.log(
    `  ${label.padEnd(9)}  ${String(reached.schedules).padStart(7)} schedules  ${reached.seconds.toFixed(1).padStart(7)} s  ` +
      `${(reached.schedules / reached.seconds).toFixed(1).padStart(6)} schedules/s  ${reached.complete ? "complete" : "budget ran out"}  ` +
      `${reached.ends.size} end state(s), verdicts ${[...reached.verdicts].sort().join(" | ")}`,
  );
}
const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((item) => b.has(item));
if (reduced.complete && plain.complete) {
  console.log(`  same end states: ${same(reduced.ends, plain.ends)}; same verdicts: ${same(reduced.verdicts, plain.verdicts)}`);
  console.log(`  reduction: ${(plain.schedules / reduced.schedules).toFixed(1)}x fewer schedules, ${(plain.seconds / reduced.seconds).toFixed(1)}x less time`);
}
