import type { LuaMode } from "../../redis/lua/scripting.ts";
import { rerun } from "../../run/rerun.ts";
import { loadTrace } from "../../trace/load.ts";
import { stepDetail, stepLabel } from "../../trace/describe.ts";
import { codeRevision, describeRevision } from "../../trace/revision.ts";
import type { Trace, TraceStep } from "../../trace/trace.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";
import { printViolations } from "./show-violations.ts";

/** What a run's oracle said: its violations' invariants, or that there was none. */
function judgement(trace: Trace): string {
  return trace.violations.length === 0 ? "no violation" : [...new Set(trace.violations.map((violation) => violation.invariant))].join(", ");
}

/**
 * Re-executes a trace's decisions; the same hash means the same run, step for step. `sameSteps`: every step is the
 * same and only what the code says of them differs (the judgement, or the probes hit), as after an oracle change.
 */
export async function replayTrace(trace: Trace, lua?: LuaMode): Promise<{ replayed: Trace; identical: boolean; sameSteps: boolean; divergence: string | null }> {
  const replayed = await rerun(trace, { lua });
  if (replayed.hash === trace.hash) return { replayed, identical: true, sameSteps: true, divergence: null };
  const first = trace.steps.findIndex((step, i) => JSON.stringify(step) !== JSON.stringify(replayed.steps[i]));
  if (first < 0 && trace.steps.length === replayed.steps.length) {
    const [was, now] = [judgement(trace), judgement(replayed)];
    const divergence = was === now ? "every step the same; the probes hit differ" : `every step the same; judged anew: recorded ${was}, now ${now}`;
    return { replayed, identical: false, sameSteps: true, divergence };
  }
  const at = first >= 0 ? first : Math.min(trace.steps.length, replayed.steps.length);
  const recorded = trace.steps[at];
  const now = replayed.steps[at];
  const said = (step: TraceStep | undefined) => (step ? `"${stepLabel(step.event)}" -> ${stepDetail(step.event)}` : "nothing");
  const divergence = `first difference at step ${at}: recorded ${said(recorded)}, now ${said(now)}`;
  return { replayed, identical: false, sameSteps: false, divergence };
}

export async function replayCommand(path: string, flags: { json?: boolean; lua?: LuaMode }): Promise<number> {
  const out = new Output(flags.json === true);
  const trace = loadTrace(path);
  out.line(`${paint.strong("sim replay")} ${path}  (${trace.scenario}, ${trace.server}, ${trace.strategy}, seed ${trace.seed}, ${trace.steps.length} steps)`);
  out.line(paint.dim(`  recorded at ${describeRevision(trace.revision)}, running ${describeRevision(codeRevision())}`));
  const { replayed, identical, sameSteps, divergence } = await replayTrace(trace, flags.lua);
  const violations = replayed.violations.map((v) => ({ invariant: v.invariant, message: v.message, step: v.step }));
  if (!identical && sameSteps && describeRevision(trace.revision) !== describeRevision(codeRevision())) {
    // The same run, step for step, under code whose oracle or probes changed: what this code says of it stands.
    out.line(`${paint.pass("same steps")} ${divergence}`);
    printViolations(out, replayed);
    out.result({ trace: path, identical: false, sameSteps: true, violations });
    return replayed.violations.length > 0 ? ExitCode.violation : ExitCode.ok;
  }
  if (!identical) {
    const recordedAt = describeRevision(trace.revision);
    const running = describeRevision(codeRevision());
    const why = recordedAt === running ? "the code is the same: the harness is not deterministic" : `recorded at ${recordedAt}, running ${running}`;
    process.stderr.write(`sim: replay is not identical to the recorded run (${why}); ${divergence}\n`);
    out.result({ trace: path, identical: false, violations });
    return ExitCode.internal;
  }
  out.line(`${paint.pass("identical")} hash ${trace.hash.slice(0, 16)}...`);
  printViolations(out, replayed);
  out.result({ trace: path, identical: true, violations });
  return replayed.violations.length > 0 ? ExitCode.violation : ExitCode.ok;
}
