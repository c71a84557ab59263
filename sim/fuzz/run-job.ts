import { runOnce } from "../run/run-once.ts";
import { withCoincidence } from "../scenario/options.ts";
import { resolveScenario } from "../scenario/resolve.ts";
import type { FuzzJob, FuzzOutcome } from "./job.ts";

export async function runJob(job: FuzzJob): Promise<FuzzOutcome> {
  const scenario = await resolveScenario(job.scenario);
  const { coincidence, ...spec } = job;
  const trace = await runOnce({
    ...spec,
    scenario: scenario.name,
    scenarioFile: scenario.file,
    checkers: scenario.checkers,
    options: withCoincidence(scenario.options, coincidence),
  });
  return {
    job,
    verdict: trace.verdict,
    invariants: [...new Set(trace.violations.map((violation) => violation.invariant))],
    steps: trace.steps.length,
    trace: trace.verdict === "fail" ? trace : null,
  };
}
