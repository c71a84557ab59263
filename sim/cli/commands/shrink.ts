import { dirname } from "node:path";
import { nameCause } from "../../report/cause.ts";
import { DEFAULT_SHRINK_LIMITS, violationWith } from "../../shrink/shrink.ts";
import { writeShrunk, writeTimeline } from "../../report/report-failure.ts";
import { timelinePath } from "../../report/write-trace.ts";
import { loadTrace } from "../../trace/load.ts";
import { codeRevision, describeRevision } from "../../trace/revision.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { Output, paint, table } from "../output.ts";
import { parseCount } from "../parse-args.ts";
import { replayTrace } from "./replay.ts";

export interface ShrinkFlags {
  json?: boolean;
  budget: string;
  out?: string;
  /** The bug to keep, by signature (a run may show several); default: the first violation's. */
  signature?: string;
}

/**
 * Shrinks a failing trace: the shrunk trace and a fresh timeline of both (original and shrunk, with what
 * shrinking removed) go beside the trace, or into --out.
 */
export async function shrinkCommand(path: string, flags: ShrinkFlags): Promise<number> {
  const out = new Output(flags.json === true);
  const budgetMs = parseCount("--budget", flags.budget, { min: 1, max: 86_400 }) * 1000;
  const trace = loadTrace(path);
  if (trace.violations.length === 0) throw new UsageError(`${path} records no violation: there is nothing to shrink`);
  const violation = flags.signature === undefined ? trace.violations[0] : violationWith(trace, flags.signature);
  if (violation === undefined) throw new UsageError(`${path} records no violation with signature ${flags.signature}`);
  const { identical } = await replayTrace(trace);
  if (!identical) {
    process.stderr.write(
      `sim: ${path} no longer replays identically (recorded at ${describeRevision(trace.revision)}, running ${describeRevision(codeRevision())}); run the seed again instead\n`,
    );
    return ExitCode.internal;
  }
  const dir = flags.out ?? dirname(path);
  const cause = nameCause(trace, violation);
  out.line(`${paint.strong("sim shrink")} ${path}  (${trace.options.players.length} players, ${trace.steps.length} steps, ${paint.fail(violation.invariant)})`);
  out.line(`  ${paint.strong("cause")}  ${cause.text}`);
  const shrunk = await writeShrunk(trace, path, dir, { ...DEFAULT_SHRINK_LIMITS, budgetMs }, violation);
  const html = timelinePath(path, dir);
  await writeTimeline(html, { trace, path }, { trace: shrunk.trace, path: shrunk.path });
  const before = trace.options;
  const after = shrunk.trace.options;
  const rows = [
    ["", "original", "shrunk"],
    ["players", String(before.players.length), String(after.players.length)],
    ["steps", String(trace.steps.length), String(shrunk.trace.steps.length)],
    ["instances", String(before.instances), String(after.instances)],
    ["dedicated servers", String(before.servers), String(after.servers)],
  ].map((row) => row.map((cell, i) => (i === 2 && row[0] !== "" ? paint.pass(cell) : i === 0 ? paint.dim(cell) : cell)));
  for (const line of table(rows)) out.line(`  ${line}`);
  out.line(`  ${paint.pass("same failure")} (signature ${cause.signature.id}) after ${shrunk.runs} runs in ${(shrunk.ms / 1000).toFixed(1)} s`);
  out.line(`  shrunk     ${shrunk.path}`);
  out.line(`  timeline   ${html}`);
  out.line(`  replay     ${paint.strong(`npx sim replay ${shrunk.path}`)}`);
  out.result({
    trace: path,
    shrunk: shrunk.path,
    timeline: html,
    invariant: violation.invariant,
    signature: cause.signature.id,
    defect: cause.defect?.defect ?? null,
    playersBefore: before.players.length,
    playersAfter: after.players.length,
    stepsBefore: trace.steps.length,
    stepsAfter: shrunk.trace.steps.length,
    runs: shrunk.runs,
  });
  return ExitCode.violation;
}
