import { storyLines, violationStory } from "../../report/explain.ts";
import type { Trace } from "../../trace/trace.ts";
import { paint, type Output } from "../output.ts";

/** A run that breaks one thing usually breaks it for many players; the first few tell the story. */
export const SHOWN_VIOLATIONS = 3;

export function printViolations(out: Output, trace: Trace): void {
  if (trace.violations.length === 0) {
    out.line(paint.pass("no violation"));
    return;
  }
  for (const violation of trace.violations.slice(0, SHOWN_VIOLATIONS)) {
    out.line(`  ${paint.fail(violation.invariant)} at step ${violation.step} (${(violation.at / 1000).toFixed(3)} s): ${violation.message}`);
  }
  const first = trace.violations[0];
  if (first) {
    out.line();
    const [headline, ...told] = storyLines(violationStory(trace, first));
    out.line(`  ${paint.strong("what happened")}: ${headline}`);
    for (const line of told) out.line(`    ${line}`);
    out.line();
  }
  const hidden = trace.violations.length - SHOWN_VIOLATIONS;
  if (hidden > 0) out.line(paint.dim(`  ... and ${hidden} more violation(s) in the trace`));
}
