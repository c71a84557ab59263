import { findScenario } from "/work/main/scenarios/index.ts";
import { runOnce } from "/work/main/sim/run/run-once.ts";
process.on("unhandledRejection", (reason) => {
  if (reason instanceof Error && reason.message === "Connection is closed.") return; // harness: void server.register()
  console.error("UNHANDLED", reason);
  process.exit(3);
});
const [name, variant, from, count, strategy] = process.argv.slice(2);
const scenario = findScenario(name!)!;
let fails = 0, incomplete = 0;
const start = Date.now();
for (let seed = Number(from); seed < Number(from) + Number(count); seed++) {
  const trace = await runOnce({ scenario: scenario.name, server: variant as "fixed", seed, strategy: (strategy ?? "pct") as "pct", options: scenario.options });
  if (trace.verdict === "incomplete") incomplete++;
  if (trace.verdict === "fail") {
    fails++;
    console.log(`seed ${seed}:`);
    for (const v of trace.violations.slice(0, 6)) console.log(`  ${v.invariant} @${v.step} ${(v.at/1000).toFixed(1)}s: ${v.message}`);
    if (fails >= 3) break;
  }
}
console.log(`done: fails=${fails} incomplete=${incomplete} in ${Date.now() - start} ms`);
