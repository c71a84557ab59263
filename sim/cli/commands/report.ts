import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { nameCause } from "../../report/cause.ts";
import { writeTimeline } from "../../report/report-failure.ts";
import { shrunkTracePath, timelinePath } from "../../report/write-trace.ts";
import { loadTrace } from "../../trace/load.ts";
import type { Trace } from "../../trace/trace.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";

/** A shrunk trace written beside this one (by `sim run` or `sim shrink`), if there is one. */
function shrunkBeside(path: string): { trace: Trace; path: string } | undefined {
  const beside = shrunkTracePath(path);
  return beside !== path && existsSync(beside) ? { trace: loadTrace(beside), path: beside } : undefined;
}

/** Renders the HTML timeline of any trace, with its shrunk trace when one lies beside it. */
export async function reportCommand(path: string, flags: { json?: boolean; out?: string }): Promise<number> {
  const out = new Output(flags.json === true);
  const trace = loadTrace(path);
  const shrunk = shrunkBeside(path);
  const html = timelinePath(path, flags.out ?? dirname(path));
  const { views } = await writeTimeline(html, { trace, path }, shrunk);
  out.line(`${paint.strong("sim report")} ${path}  (${trace.scenario}, ${trace.server}, seed ${trace.seed}, ${trace.steps.length} steps${shrunk ? `, with ${shrunk.path}` : ""})`);
  const first = trace.violations[0];
  if (first) out.line(`  ${paint.fail(first.invariant)}  ${nameCause(trace, first).text}`);
  else out.line(`  ${paint.pass("no violation")} in this trace`);
  for (const view of views) if (view.redisMissing) out.line(paint.warn(`  Redis contents left out of ${view.path ?? "a view"}: ${view.redisMissing}`));
  out.line(`  timeline   ${html}`);
  out.result({ trace: path, shrunk: shrunk?.path ?? null, timeline: html, violations: trace.violations.length });
  return ExitCode.ok;
}
