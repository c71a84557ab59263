import { findScenario } from "/work/wt16/scenarios/index.ts";
import { checkOptions } from "/work/wt16/sim/check/check-options.ts";
import { RunGuide } from "/work/wt16/sim/check/guide.ts";
import * as explorer from "/work/wt16/sim/check/explorer.ts";
import { WHOLE } from "/work/wt16/sim/check/sharding.ts";
import { worldTarget } from "/work/wt16/sim/check/world-target.ts";
const [name, server, k, secs] = process.argv.slice(2);
const s = findScenario(name)!;
const options = checkOptions(s, 0);
// Capture the path by wrapping the target.
let lastPath: any = null;
const target = worldTarget({ scenario: s.name, server: server as any, seed: 0, options });
const spy = { run: (guide: any) => { lastPath = guide.path; return target.run(guide); } };
const r = await explorer.explore(spy, { bounds: { preemptions: Number(k), faults: 0 }, reduce: true, shard: WHOLE(), deadline: performance.now() + Number(secs) * 1000 }, () => false);
console.log(JSON.stringify(r));
for (const [i, d] of lastPath.decisions.entries()) {
  if (d.backtrack.size < 2 && d.alternatives.length < 2) continue;
  const e = lastPath.executed[i];
  console.log(i, d.now - 1.7e12, "alts", d.alternatives.length, "bt", d.backtrack.size, "done", d.done.size, "sleep", d.sleep.length, d.full ? "FULL" : "", "|", d.steps.map((c: any) => c.id).join(","), "chose", d.chosen?.id, e ? (e.footprint.visible ? "V" : "") + " " + e.footprint.writes.join(",") : "");
}
