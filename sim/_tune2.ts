import { findScenario } from "../scenarios/index.ts";
import { runOnce } from "./run/run-once.ts";
const [name, grid, d, h, strategy] = process.argv.slice(2);
const base = findScenario(name!)!.options;
const seeds: number[] = []; const t0 = performance.now();
for (let r = 0; r < 10; r++) {
  for (let o = 0; o < 300; o++) {
    const t = await runOnce({ scenario: name!, server: "legacy", seed: r * 10000 + o, strategy: (strategy ?? "pct") as any, options: { ...base, timeGridMs: Number(grid), pctDepth: Number(d), pctHorizon: Number(h) } });
    if (t.verdict === "fail") { seeds.push(o + 1); break; }
  }
}
seeds.sort((a, b) => a - b);
console.log(name, `grid=${grid} d=${d} h=${h} ${strategy ?? "pct"}`, "median", (seeds[4]! + seeds[5]!) / 2, "found", seeds.length, "seeds", seeds.join(","), `${Math.round(performance.now() - t0)}ms`);
