import { runOnce } from "../run/run-once.ts";
import { withChoices, withCoincidence } from "../scenario/options.ts";
import { resolveScenario } from "../scenario/resolve.ts";
import { signaturesOf, type Signature } from "../signature/signature.ts";
import type { FoundBug, FuzzJob, FuzzOutcome } from "./job.ts";

export async function runJob(job: FuzzJob): Promise<FuzzOutcome> {
  const scenario = await resolveScenario(job.scenario);
  const { coincidence, faultChoices, ...spec } = job;
  const trace = await runOnce({
    ...spec,
    scenario: scenario.name,
    scenarioFile: scenario.file,
    checkers: scenario.checkers,
    options: withChoices(withCoincidence(scenario.options, coincidence), faultChoices),
  });
  const bugs = new Map<string, FoundBug>();
  const signatures: string[] = [];
  const found = signaturesOf(trace);
  for (const [i, violation] of trace.violations.entries()) {
    const signature = found[i] as Signature;
    signatures.push(signature.id);
    if (bugs.has(signature.id)) continue;
    const { invariant, message, step } = violation;
    bugs.set(signature.id, { signature: signature.id, invariant, summary: signature.summary, message, step });
  }
  return {
    job,
    scenario: scenario.name,
    verdict: trace.verdict,
    invariants: [...new Set(trace.violations.map((violation) => violation.invariant))],
    bugs: [...bugs.values()],
    signatures,
    steps: trace.steps.length,
    coverage: trace.coverage,
    trace: trace.verdict === "fail" ? trace : null,
  };
}
