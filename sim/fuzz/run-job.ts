import type { HitSteps } from "../coverage/probe-counter.ts";
import { BY_CHOICE } from "../faults/choices.ts";
import { runOnce } from "../run/run-once.ts";
import { withChoices, withCoincidence } from "../scenario/options.ts";
import { resolveScenario } from "../scenario/resolve.ts";
import { signaturesOf, type Signature } from "../signature/signature.ts";
import type { Trace } from "../trace/trace.ts";
import type { FoundBug, FuzzJob, FuzzOutcome, Recording } from "./job.ts";

export async function runJob(job: FuzzJob): Promise<FuzzOutcome> {
  const scenario = await resolveScenario(job.scenario, job.seed);
  const { coincidence, faultChoices, record, mutant, slot, ...spec } = job;
  const hitSteps: HitSteps | undefined = record === true ? new Map() : undefined;
  const trace = await runOnce({
    ...spec,
    scenario: scenario.name,
    scenarioFile: scenario.file,
    checkers: scenario.checkers,
    options: mutant?.options ?? withChoices(withCoincidence(scenario.options, coincidence), faultChoices),
    ...(mutant === undefined ? {} : { decisions: mutant.decisions, lenient: mutant.salt }),
    hitSteps,
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
    recording: hitSteps === undefined ? null : recordingOf(trace, hitSteps),
  };
}

function recordingOf(trace: Trace, hitSteps: HitSteps): Recording {
  const faultsAt: number[] = [];
  for (const step of trace.steps) {
    const event = step.event;
    if (event.kind === "fault" && event.note.endsWith(BY_CHOICE)) faultsAt.push(step.i);
  }
  return { options: trace.options, decisions: trace.decisions, faultsAt, hitSteps: Object.fromEntries(hitSteps) };
}
