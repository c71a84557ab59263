/**
 * Tells the first violation of one legacy run that has a given signature, as a report would: to read what a
 * signature stands for from a seed `map.ts` named.
 *
 *   npx tsx bench/signatures/read.ts SCENARIO SEED SIGNATURE [STRATEGY]
 */
import { runJob } from "../../sim/fuzz/run-job.ts";
import { storyLines, violationStory } from "../../sim/report/explain.ts";
import type { StrategyName } from "../../sim/scheduler/strategy.ts";
import { signaturesOf } from "../../sim/signature/signature.ts";

const [scenario = "", seedText = "0", wanted = "", strategy = "preempt"] = process.argv.slice(2);
const trace = (await runJob({ scenario, server: "legacy", seed: Number(seedText), strategy: strategy as StrategyName })).trace;
const signatures = trace === null ? [] : signaturesOf(trace);
const at = signatures.findIndex((signature) => signature.id.startsWith(wanted));
const violation = trace?.violations[at];
if (trace === null || violation === undefined) {
  console.log(`no violation with signature ${wanted} in ${scenario} seed ${seedText}`);
} else {
  console.log(`${signatures[at]?.summary}\n${violation.message}`);
  for (const line of storyLines(violationStory(trace, violation))) console.log(line);
}
