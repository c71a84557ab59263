import { writeFileSync } from "node:fs";
import type { ProbeCatalog } from "../../src/probes/catalog.ts";
import { coverageFile, neverHit, summary, unregistered, type CoverageFile, type CoverageSummary, type Hits } from "../coverage/coverage.ts";
import { UsageError } from "./exit-codes.ts";
import { paint, type Output } from "./output.ts";

/** Never-hit probes named on one line at most; the rest are counted (the table and --coverage have them all). */
const NAMED = 8;

/** The coverage of what ran, one line, and its file when asked for. */
export function reportCoverage(out: Output, catalog: ProbeCatalog, hits: Hits, path: string | undefined): { file: CoverageFile; summary: CoverageSummary } {
  const file = coverageFile(catalog, hits);
  const never = neverHit(file);
  const done = summary(file);
  const named = never.must.slice(0, NAMED).join(", ");
  const more = never.must.length > NAMED ? `, and ${never.must.length - NAMED} more` : "";
  out.line(
    `coverage: ${paint.strong(`${done.hit} of ${done.probes}`)} probes hit` +
      (never.must.length > 0 ? `; ${paint.warn(`${never.must.length} must-hit never hit`)}: ${named}${more}` : paint.pass("; every must-hit probe hit")) +
      (never.optional.length > 0 ? paint.dim(` (${never.optional.length} optional never hit)`) : ""),
  );
  const gaps = unregistered(file);
  if (gaps.length > 0) out.line(paint.warn(`  probes hit that no catalog lists: ${gaps.join(", ")}`));
  if (path !== undefined) writeCoverage(path, file);
  return { file, summary: done };
}

export function writeCoverage(path: string, file: CoverageFile): void {
  try {
    writeFileSync(path, `${JSON.stringify(file, null, 1)}\n`);
  } catch (error) {
    throw new UsageError(`--coverage ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Every probe with its hits, never-hit ones first, in columns: what a long campaign reached. */
export function printProbeTable(out: Output, file: CoverageFile): void {
  const rows = Object.entries(file.probes).sort(([a, x], [b, y]) => Number(x.hits > 0) - Number(y.hits > 0) || a.localeCompare(b));
  const width = Math.max(...rows.map(([name]) => name.length)) + 9;
  const columns = Math.max(1, Math.floor(160 / width));
  for (let i = 0; i < rows.length; i += columns) {
    const line = rows.slice(i, i + columns).map(([name, probe]) => {
      const hits = probe.hits === 0 ? (probe.mustHit ? paint.fail("    0") : paint.dim("    -")) : String(probe.hits).padStart(5);
      return `${hits}  ${probe.hits === 0 && probe.mustHit ? paint.fail(name) : name}${" ".repeat(width - 7 - name.length)}`;
    });
    out.line(`  ${line.join("")}`);
  }
}
