import { findScenario } from "/work/wt16/scenarios/index.ts";
import { checkOptions } from "/work/wt16/sim/check/check-options.ts";
import * as explorer from "/work/wt16/sim/check/explorer.ts";
import { WHOLE } from "/work/wt16/sim/check/sharding.ts";
import { worldTarget } from "/work/wt16/sim/check/world-target.ts";
const [name, server, k, secs] = process.argv.slice(2);
const s = findScenario(name)!;
const options = checkOptions(s, 0);
let lastPath: any = null;
const target = worldTarget({ scenario: s.name, server: server as any, seed: 0, options });
const spy = { run: (guide: any) => { lastPath = guide.path; return target.run(guide); } };
const r = await explorer.explore(spy, { bounds: { preemptions: Number(k), faults: 0 }, reduce: true, shard: WHOLE(), deadline: performance.now() + Number(secs) * 1000 }, () => false);
console.log(JSON.stringify(r), lastPath.decisions.length);
let g = 0, v = 0, multi = 0, full = 0;
for (const [i, d] of lastPath.decisions.entries()) { const e = lastPath.executed[i]; if (!e) continue; if (e.footprint.global) g++; if (e.footprint.visible) v++; if (d.alternatives.length > 1) multi++; if (d.full) full++; }
console.log({ g, v, multi, full, last: lastPath.decisions.at(-1)?.now - 1.7e12 });
