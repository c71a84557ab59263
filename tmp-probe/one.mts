import { findScenario } from "/work/wt16/scenarios/index.ts";
import { RunGuide } from "/work/wt16/sim/check/guide.ts";
import { worldTarget } from "/work/wt16/sim/check/world-target.ts";
const [name, server, players, inst, window] = process.argv.slice(2);
const s = findScenario(name)!;
const options = { ...s.options, players: players.split(","), instances: Number(inst), servers: 1, activeMs: 10000, raceWindowMs: Number(window ?? s.options.raceWindowMs), faultOffers: "everywhere" as const, choices: {} };
const path = { decisions: [], executed: [] } as any;
const t0 = performance.now();
const o = await worldTarget({ scenario: s.name, server: server as any, seed: 1, options }).run(new RunGuide(path, [], { bounds: { preemptions: Number(process.env.K ?? 0), faults: 0 }, reduce: true, splitLevels: 2, enterRoot: () => true }));
console.log("ms", performance.now() - t0, o.verdict, path.decisions.length);
let multi = 0, glob = 0, vis = 0;
const why: Record<string, number> = {};
for (const [i, d] of path.decisions.entries()) {
  const e = path.executed[i];
  if (d.alternatives.length > 1) multi++;
  if (e.footprint.global) glob++;
  if (e.footprint.visible) vis++;
  if (d.alternatives.length > 1) console.log(i, d.now - 1.7e12, d.steps.map((s: any) => `${s.id}:${s.lane}:${s.kind}`).join(" "), "| chose", d.chosen.id, e.footprint.global ? "G" : "", e.footprint.visible ? "V" : "", e.footprint.writes.join(","));
}
console.log({ multi, glob, vis });
