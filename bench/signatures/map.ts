/**
 * Checks what signatures name against root causes read another way: runs legacy seeds in this process and,
 * per signature, tallies the seed defect the report's own recogniser names (from the report's causal slice,
 * which the signature does not use), the invariants and scenarios it covers, and seeds to read it from
 * (`npx sim run SCENARIO --server legacy --strategy S --seed N`). A signature two recognised defects share is a
 * merge; a defect over many signatures is a split.
 *
 *   npx tsx bench/signatures/map.ts [FROM..TO] [STRATEGY] [SCENARIO]
 */
import { runJob } from "../../sim/fuzz/run-job.ts";
import { nameCause } from "../../sim/report/cause.ts";
import { TraceGraph } from "../../sim/report/trace-graph.ts";
import type { StrategyName } from "../../sim/scheduler/strategy.ts";
import { signaturesOf } from "../../sim/signature/signature.ts";
import { SCENARIOS } from "../../scenarios/index.ts";

const SAMPLES = 4;

interface Row {
  summary: string;
  runs: Set<string>;
  defects: Map<string, number>;
  scenarios: Map<string, number>;
  samples: string[];
}

const [from, to] = (process.argv[2] ?? "0..99").split("..").map(Number) as [number, number];
const strategy = (process.argv[3] ?? "preempt") as StrategyName;
const only = process.argv[4];
const rows = new Map<string, Row>();
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

for (const { name: scenario } of SCENARIOS) {
  if (only !== undefined && scenario !== only) continue;
  for (let seed = from; seed <= to; seed++) {
    const trace = (await runJob({ scenario, server: "legacy", seed, strategy })).trace;
    if (trace === null) continue;
    const graph = new TraceGraph(trace);
    const signatures = signaturesOf(trace);
    const seen = new Set<string>();
    trace.violations.forEach((violation, i) => {
      const signature = signatures[i];
      if (signature === undefined || seen.has(signature.id)) return;
      seen.add(signature.id);
      const row: Row = rows.get(signature.id) ?? { summary: signature.summary, runs: new Set(), defects: new Map(), scenarios: new Map(), samples: [] };
      rows.set(signature.id, row);
      const run = `${scenario}#${seed}`;
      row.runs.add(run);
      bump(row.scenarios, scenario);
      const defect = nameCause(trace, violation, graph).defect;
      bump(row.defects, defect === null ? `- (${violation.invariant}: ${violation.kind ?? "..."})` : `${defect.defect}: ${defect.name}`);
      if (row.samples.length < SAMPLES && !row.samples.some((sample) => sample.startsWith(scenario))) row.samples.push(`${scenario} ${seed}`);
    });
  }
}

const sorted = [...rows].sort((a, b) => b[1].runs.size - a[1].runs.size);
const total = sorted.reduce((sum, [, row]) => sum + row.runs.size, 0);
console.log(`${sorted.length} signatures, ${total} sightings, legacy ${strategy} seeds ${from}..${to}`);
for (const [id, row] of sorted) {
  console.log(`\n${id} ${String(row.runs.size).padStart(5)}  ${row.summary}`);
  console.log(`  scenarios ${[...row.scenarios].map(([name, count]) => `${name} ${count}`).join(", ")}`);
  for (const [defect, count] of [...row.defects].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(5)}  ${defect}`);
  console.log(`  read   ${row.samples.join("; ")}`);
}
