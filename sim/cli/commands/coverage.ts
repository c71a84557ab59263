import { readFileSync } from "node:fs";
import { mergeFiles, neverHit, summary, type CoverageFile } from "../../coverage/coverage.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";
import { printProbeTable, writeCoverage } from "../coverage-output.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function readCoverage(path: string): CoverageFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `no such coverage file: ${path}` : code ? `cannot read ${path}: ${code}` : `${path} is not JSON`);
  }
  const probes = isObject(value) ? value.probes : undefined;
  const valid =
    isObject(probes) &&
    Object.values(probes).every((probe) => isObject(probe) && typeof probe.hits === "number" && probe.hits >= 0 && typeof probe.mustHit === "boolean");
  if (!valid) throw new UsageError(`${path} is not a coverage file (written by --coverage)`);
  return value as unknown as CoverageFile;
}

/** `sim coverage merge A B ...`: the coverage of shards of one campaign as one. */
export function coverageMergeCommand(paths: string[], flags: { json?: boolean; out?: string }): number {
  if (paths.length === 0) throw new UsageError("coverage merge needs at least one coverage file");
  const out = new Output(flags.json === true);
  const merged = mergeFiles(paths.map(readCoverage));
  const done = summary(merged);
  const never = neverHit(merged);
  out.line(`${paint.strong("sim coverage merge")} ${paths.length} file(s): ${done.hit} of ${done.probes} probes hit, ${never.must.length} must-hit never hit`);
  printProbeTable(out, merged);
  if (flags.out !== undefined) writeCoverage(flags.out, merged);
  out.result(done);
  return never.must.length > 0 ? ExitCode.violation : ExitCode.ok;
}
