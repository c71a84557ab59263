import { findScenario } from "/work/main/scenarios/index.ts";
import { runOnce } from "/work/main/sim/run/run-once.ts";
const [name, server, n] = process.argv.slice(2);
const s = findScenario(name!)!;
const t0 = performance.now(); let steps = 0;
for (let seed = 0; seed < Number(n); seed++) { const t = await runOnce({ scenario: s.name, server: server as any, seed, strategy: "pct", options: s.options }); steps += t.steps.length; }
const ms = performance.now() - t0;
console.log(`${name} ${server}: ${(Number(n) / ms * 1000).toFixed(1)} runs/s, ${(steps / Number(n)).toFixed(0)} steps/run, ${(ms * 1000 / steps).toFixed(1)} us/step`);
