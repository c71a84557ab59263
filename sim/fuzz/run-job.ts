import { findScenario } from "../../scenarios/index.ts";
import { runOnce } from "../run/run-once.ts";
import type { FuzzJob, FuzzOutcome } from "./job.ts";

export async function runJob(job: FuzzJob): Promise<FuzzOutcome> {
  const scenario = findScenario(job.scenario);
  if (!scenario) throw new Error(`unknown scenario ${job.scenario}`);
  const trace = await runOnce({ ...job, options: scenario.options });
  return {
    job,
    verdict: trace.verdict,
    invariants: [...new Set(trace.violations.map((violation) => violation.invariant))],
    steps: trace.steps.length,
    trace: trace.verdict === "fail" ? trace : null,
  };
}
