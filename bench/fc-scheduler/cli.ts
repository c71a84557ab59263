/**
 * The four seed defects hunted with fast-check's own fc.scheduler() on ioredis-mock, over disjoint seed
 * ranges (range k starts at fast-check seed k * 10,000): median seeds and wall time to the first failure.
 *
 *   npx tsx bench/fc-scheduler/cli.ts [--ranges 10] [--max-seeds 2000] [--setup race|scenario|drawn]
 *                                     [--defect NAME]... [--json]
 *
 * With --json the last line of stdout is {DEFECT: {medianSeeds, medianMs, found, ranges}}.
 */
import { parseArgs } from "node:util";
import { DEFECTS, isDefect, SETUP_KINDS, type Defect, type SetupKind } from "./defects.ts";
import { huntWithFcScheduler } from "./hunt.ts";

const RANGE_WIDTH = 10_000;

interface Summary {
  medianSeeds: number | null;
  medianMs: number | null;
  found: number;
  ranges: number;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: cli.ts [--ranges N] [--max-seeds N] [--setup race|scenario|drawn] [--defect NAME]... [--json]\n`);
  process.exit(2);
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) usage(`--${name} must be a positive integer`);
  return value;
}

const { values } = parseArgs({
  options: {
    ranges: { type: "string", default: "10" },
    "max-seeds": { type: "string", default: "2000" },
    setup: { type: "string", default: "race" },
    defect: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
  },
});

const ranges = positive(values.ranges, "ranges");
const maxSeeds = positive(values["max-seeds"], "max-seeds");
if (maxSeeds > RANGE_WIDTH) usage(`--max-seeds must be at most ${RANGE_WIDTH}, or the ranges would overlap`);
const setup = values.setup as SetupKind;
if (!SETUP_KINDS.includes(setup)) usage(`--setup must be one of ${SETUP_KINDS.join(", ")}`);
const defects: Defect[] = [];
for (const name of values.defect ?? DEFECTS) {
  if (!isDefect(name)) usage(`unknown defect "${name}" (known: ${DEFECTS.join(", ")})`);
  defects.push(name);
}
const say = (text: string) => (values.json ? process.stderr : process.stdout).write(`${text}\n`);

say(`fc.scheduler() on ioredis-mock, ${setup} setups, ${ranges} seed ranges of at most ${maxSeeds} seeds each`);
const summaries: Record<string, Summary> = {};
for (const defect of defects) {
  const seeds: number[] = [];
  const times: number[] = [];
  const invariants = new Map<string, number>();
  let totalMs = 0;
  let luaMs = 0;
  for (let range = 0; range < ranges; range++) {
    const hunt = await huntWithFcScheduler(defect, { firstSeed: range * RANGE_WIDTH, maxSeeds, setup });
    totalMs += hunt.ms;
    luaMs += hunt.luaMs;
    if (hunt.seeds === null || hunt.failure === null) continue;
    seeds.push(hunt.seeds);
    times.push(hunt.ms);
    const { invariant } = hunt.failure.violation;
    invariants.set(invariant, (invariants.get(invariant) ?? 0) + 1);
  }
  const medianMs = median(times);
  const summary: Summary = {
    medianSeeds: median(seeds),
    medianMs: medianMs === null ? null : Math.round(medianMs),
    found: seeds.length,
    ranges,
  };
  summaries[defect] = summary;
  const broke = [...invariants].map(([invariant, count]) => `${invariant} x${count}`).join(", ") || "-";
  const luaShare = totalMs > 0 ? Math.round((luaMs / totalMs) * 100) : 0;
  say(
    `  ${defect.padEnd(20)} median ${String(summary.medianSeeds ?? "-").padStart(5)} seeds ${String(summary.medianMs ?? "-").padStart(7)} ms` +
      `  found in ${summary.found}/${ranges} ranges (seeds: ${seeds.join(" ") || "-"})  broke: ${broke}  ioredis-mock eval: ${luaShare}% of the time`,
  );
}
if (values.json) process.stdout.write(`${JSON.stringify(summaries)}\n`);
