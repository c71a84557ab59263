import type { LuaMode } from "../../redis/lua/scripting.ts";
import { rerun } from "../../run/rerun.ts";
import { loadTrace } from "../../trace/load.ts";
import { stepDetail, stepLabel } from "../../trace/describe.ts";
import { codeRevision, describeRevision } from "../../trace/revision.ts";
import type { Trace, TraceStep } from "../../trace/trace.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";
import { printViolations } from "./show-violations.ts";

/** Re-executes a trace's decisions; the same hash means the same run, step for step. */
export async function replayTrace(trace: Trace, lua?: LuaMode): Promise<{ replayed: Trace; identical: boolean; divergence: string | null }> {
  const replayed = await rerun(trace, { lua });
  if (replayed.hash === trace.hash) return { replayed, identical: true, divergence: null };
  const first = trace.steps.findIndex((step, i) => JSON.stringify(step) !== JSON.stringify(replayed.steps[i]));
  const at = first >= 0 ? first : Math.min(trace.steps.length, replayed.steps.length);
  const recorded = trace.steps[at];
  const now = replayed.steps[at];
  const said = (step: TraceStep | undefined) => (step ? `"${stepLabel(step.event)}" -> ${stepDetail(step.event)}` : "nothing");
  const divergence = `first difference at step ${at}: recorded ${said(recorded)}, now ${said(now)}`;
  return { replayed, identical: false, divergence };
}

export async function replayCommand(path: string, flags: { json?: boolean; lua?: LuaMode }): Promise<number> {
  const out = new Output(flags.json === true);
  const trace = loadTrace(path);
  out.line(`${paint.strong("sim replay")} ${path}  (${trace.scenario}, ${trace.server}, ${trace.strategy}, seed ${trace.seed}, ${trace.steps.length} steps)`);
  out.line(paint.dim(`  recorded at ${describeRevision(trace.revision)}, running ${describeRevision(codeRevision())}`));
  const { replayed, identical, divergence } = await replayTrace(trace, flags.lua);
  const violations = replayed.violations.map((v) => ({ invariant: v.invariant, message: v.message, step: v.step }));
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
