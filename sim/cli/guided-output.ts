import type { GuidedReport } from "../fuzz/guided/session.ts";
import type { MutationKind } from "../fuzz/job.ts";
import { paint, type Output } from "./output.ts";

/** New probes named on one line at most; the JSON has them all. */
const NAMED = 8;

/** What guided fuzzing spent on mutants and what they reached first, in two lines. */
export function printGuided(out: Output, report: GuidedReport, runs: number): void {
  const kinds = Object.entries(report.byKind)
    .map(([kind, count]) => `${kind} ${count} → ${report.foundByKind[kind as MutationKind]} new`)
    .join(", ");
  out.line(`guided: ${paint.strong(`${report.mutants} of ${runs}`)} runs were mutants (${kinds}); corpus ${report.corpus} run(s), ${report.pairs} probe pairs seen`);
  const named = report.newProbes.slice(0, NAMED).join(", ");
  const more = report.newProbes.length > NAMED ? `, and ${report.newProbes.length - NAMED} more` : "";
  out.line(
    `  mutants reached first: ${paint.strong(String(report.newProbes.length))} probe(s)${named === "" ? "" : ` (${named}${more})`}, ` +
      `${paint.strong(String(report.newPairs))} probe pair(s)`,
  );
}
