import { storyLines, violationStory } from "../../report/explain.ts";
import { signaturesOf } from "../../signature/signature.ts";
import type { Trace } from "../../trace/trace.ts";
import { paint, type Output } from "../output.ts";

/** Distinct bugs of one run shown with their first violation each; the rest are counted. */
export const SHOWN_BUGS = 5;

/**
 * A run's violations as the distinct bugs they are (one line per signature, with its first violation), then
 * the story of the first.
 */
export function printViolations(out: Output, trace: Trace): void {
  if (trace.violations.length === 0) {
    out.line(paint.pass("no violation"));
    return;
  }
  const bugs = new Map<string, { first: Trace["violations"][number]; count: number }>();
  const signatures = signaturesOf(trace);
  for (const [i, violation] of trace.violations.entries()) {
    const id = signatures[i]?.id ?? "";
    const bug = bugs.get(id);
    if (bug) bug.count++;
    else bugs.set(id, { first: violation, count: 1 });
  }
  out.line(paint.dim(`  ${trace.violations.length} violation(s), ${bugs.size} distinct bug(s):`));
  for (const [id, { first, count }] of [...bugs].slice(0, SHOWN_BUGS)) {
    const more = count > 1 ? paint.dim(` (+${count - 1} like it)`) : "";
    out.line(`  ${paint.fail(first.invariant)} ${paint.dim(id)} at step ${first.step} (${(first.at / 1000).toFixed(3)} s): ${first.message}${more}`);
  }
  if (bugs.size > SHOWN_BUGS) out.line(paint.dim(`  ... and ${bugs.size - SHOWN_BUGS} more distinct bug(s) in the trace`));
  const first = trace.violations[0];
  if (first) {
    out.line();
    const [headline, ...told] = storyLines(violationStory(trace, first));
    out.line(`  ${paint.strong("what happened")}: ${headline}`);
    for (const line of told) out.line(`    ${line}`);
    out.line();
  }
}
