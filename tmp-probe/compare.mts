import { findScenario } from "/work/wt16/scenarios/index.ts";
import { checkOptions } from "/work/wt16/sim/check/check-options.ts";
import { explore } from "/work/wt16/sim/check/explorer.ts";
import { WHOLE } from "/work/wt16/sim/check/sharding.ts";
import { worldTarget } from "/work/wt16/sim/check/world-target.ts";
const [name, server, k, f, secs, seed] = process.argv.slice(2);
const s = findScenario(name)!;
const options = checkOptions(s, Number(f));
for (const reduce of [true, false]) {
  const finals = new Set<string>(); const verdicts = new Set<string>();
  const t0 = performance.now();
  const r = await explore(worldTarget({ scenario: s.name, server: server as any, seed: Number(seed ?? 0), options }), { bounds: { preemptions: Number(k), faults: Number(f) }, reduce, shard: WHOLE(), deadline: performance.now() + Number(secs) * 1000 }, (o) => { finals.add(o.final); verdicts.add(o.violations.map((v) => v.invariant).sort().join(";")); return false; });
  console.log(JSON.stringify({ reduce, ...r, finals: finals.size, verdicts: [...verdicts], seconds: ((performance.now() - t0) / 1000).toFixed(1) }));
  (globalThis as any)["f" + reduce] = finals;
}
const a = (globalThis as any).ftrue as Set<string>, b = (globalThis as any).ffalse as Set<string>;
console.log("finals only in plain:", [...b].filter((x) => !a.has(x)).length, "only in dpor:", [...a].filter((x) => !b.has(x)).length);
