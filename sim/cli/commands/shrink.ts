import { writeFileSync } from "node:fs";
import { shrinkTrace } from "../../shrink/shrink.ts";
import { loadTrace } from "../../trace/load.ts";
import { codeRevision, describeRevision } from "../../trace/revision.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";
import { parseCount } from "../parse-args.ts";
import { replayTrace } from "./replay.ts";

export function shrunkPath(path: string): string {
  return path.endsWith(".trace.json") ? `${path.slice(0, -".trace.json".length)}.shrunk.trace.json` : `${path}.shrunk.json`;
}

export async function shrinkCommand(path: string, flags: { json?: boolean; budget: string }): Promise<number> {
  const out = new Output(flags.json === true);
  const budgetMs = parseCount("--budget", flags.budget, { min: 1, max: 86_400 }) * 1000;
  const trace = loadTrace(path);
  if (trace.violations.length === 0) throw new UsageError(`${path} records no violation: there is nothing to shrink`);
  const { identical } = await replayTrace(trace);
  if (!identical) {
    process.stderr.write(
      `sim: ${path} no longer replays identically (recorded at ${describeRevision(trace.revision)}, running ${describeRevision(codeRevision())}); run the seed again instead\n`,
    );
    return ExitCode.internal;
  }
  out.line(`${paint.strong("sim shrink")} ${path}  (${trace.options.players.length} players, ${trace.steps.length} steps, ${trace.violations[0]?.invariant})`);
  const { shrunk, signature, runs } = await shrinkTrace(trace, { budgetMs, maxRuns: 2_000 });
  const invariant = signature.invariant;
  const target = shrunkPath(path);
  writeFileSync(target, `${JSON.stringify(shrunk)}\n`);
  const percent = Math.round((1 - shrunk.steps.length / trace.steps.length) * 100);
  out.line(
    `${paint.pass("shrunk")} ${trace.steps.length} -> ${shrunk.steps.length} steps (${percent}% smaller), ` +
      `${trace.options.players.length} -> ${shrunk.options.players.length} players, after ${runs} runs; still breaks ${paint.fail(invariant)}`,
  );
  out.line(`  written to ${target}`);
  out.result({ trace: path, shrunk: target, invariant, stepsBefore: trace.steps.length, stepsAfter: shrunk.steps.length });
  return ExitCode.violation;
}
