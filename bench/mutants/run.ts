import { paint } from "../../sim/cli/output.ts";
import { assert } from "../../sim/assert.ts";
import { BASELINE, huntTarget, type Target } from "./hunt-mutant.ts";
import type { MutantResult } from "./outcome.ts";
import { readMutants } from "./patches.ts";
import { median, resultTable, stageLines, stageTallies } from "./report.ts";
import { removeAllScratch } from "./scratch.ts";
import { fuzzFlags, missingFlag, STAGES } from "./stages.ts";

/**
 * `npm run mutants -- [--limit N] [--only NAME] [--workers N] [--stage-budget S] [--baseline] [--json]`: the
 * harness's own mutation score. Each mutant of bench/mutants/patches/ is applied to a scratch copy of this
 * checkout and hunted stage by stage (bench/mutants/stages.ts) until one kills it. A benchmark: it prints
 * figures; it exits 1 only when a patch no longer applies or the baseline (the server unmutated, with
 * --baseline) fails, as then the figures mean nothing.
 */
const USAGE = "usage: npm run mutants -- [--limit N] [--only NAME] [--workers N] [--stage-budget SECONDS] [--baseline] [--json]";
const REPO = new URL("../../", import.meta.url).pathname;

interface Options {
  limit: number | null;
  only: string | null;
  workers: number;
  stageBudget: number;
  baseline: boolean;
  json: boolean;
}

class UsageError extends Error {}

function count(flag: string, text: string | undefined, min: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} needs a whole number of at least ${min} (got ${text ?? "nothing"})`);
  return Number(text);
}

function parseOptions(argv: string[]): Options {
  const options: Options = { limit: null, only: null, workers: 1, stageBudget: 300, baseline: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--limit") options.limit = count(flag, argv[++i], 1);
    else if (flag === "--workers") options.workers = count(flag, argv[++i], 1);
    else if (flag === "--stage-budget") options.stageBudget = count(flag, argv[++i], 1);
    else if (flag === "--only") options.only = argv[++i] ?? "";
    else if (flag === "--baseline") options.baseline = true;
    else if (flag === "--json") options.json = true;
    else throw new UsageError(`unknown argument "${flag}"`);
  }
  return options;
}

/** Human lines go to stderr under --json, so the JSON stays stdout's last line. */
function say(options: Options, text = ""): void {
  (options.json ? process.stderr : process.stdout).write(`${text}\n`);
}

function progress(done: number, total: number, killed: number, running: readonly string[]): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write(`\r\x1b[2K  ${done}/${total} hunted  ${killed} killed  running ${running.join(", ")}`);
}

async function huntAll(targets: readonly Target[], options: Options, skipped: ReadonlyMap<string, string>): Promise<MutantResult[]> {
  const stages = STAGES.filter((stage) => !skipped.has(stage.name));
  const results: MutantResult[] = new Array(targets.length);
  const running = new Set<string>();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index] as Target;
      running.add(target.name);
      progress(done, targets.length, results.filter((r) => r?.status === "killed").length, [...running]);
      const result = await huntTarget(REPO, target, stages, options.stageBudget);
      results[index] = result;
      running.delete(target.name);
      done++;
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
      const verdict = result.status === "killed" ? paint.pass("killed") : result.status === "error" ? paint.warn("error") : paint.fail("survived");
      say(options, paint.dim(`  ${target.name}: ${verdict} ${result.stage ?? ""} ${result.seeds} runs ${result.seconds.toFixed(1)} s ${result.notes.join("; ")}`));
      progress(done, targets.length, results.filter((r) => r?.status === "killed").length, [...running]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.workers, targets.length) }, worker));
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
  return results;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  let mutants = readMutants();
  assert(mutants.length > 0, "bench/mutants/patches/ holds mutants");
  if (options.only !== null) mutants = mutants.filter((mutant) => mutant.name.includes(options.only as string));
  if (options.limit !== null) mutants = mutants.slice(0, options.limit);
  if (mutants.length === 0) throw new UsageError(`no mutant's name contains "${options.only}"`);
  const flags = await fuzzFlags(REPO);
  const skipped = new Map<string, string>();
  for (const stage of STAGES) {
    const missing = stage.kind === "flag" ? missingFlag(stage, flags) : null;
    if (missing !== null) skipped.set(stage.name, `sim fuzz has no ${missing}`);
  }

  say(options, `${paint.strong("mutants")} ${mutants.length} of the fixed server, hunted ${options.workers} at a time; stage budget ${options.stageBudget} s`);
  say(options, paint.dim(`stages: ${STAGES.map((stage) => (skipped.has(stage.name) ? `${stage.name} (skipped)` : stage.name)).join(" -> ")}`));
  const targets: Target[] = options.baseline ? [BASELINE, ...mutants] : mutants;
  const all = await huntAll(targets, options, skipped);
  const baseline = options.baseline ? (all[0] as MutantResult) : null;
  const results = options.baseline ? all.slice(1) : all;

  say(options);
  for (const line of resultTable(all)) say(options, line);
  say(options);
  const killed = results.filter((result) => result.status === "killed");
  const errors = results.filter((result) => result.status === "error");
  const rate = killed.length / Math.max(results.length - errors.length, 1);
  for (const line of stageLines(stageTallies(STAGES, skipped, results), results.length - errors.length)) say(options, line);
  const medianSeconds = median(killed.map((result) => result.seconds));
  say(options);
  say(options, `${paint.strong(`${killed.length}/${results.length - errors.length} killed (${(100 * rate).toFixed(1)}%)`)}, median time to kill ${medianSeconds === null ? "-" : `${medianSeconds.toFixed(1)} s`}`);
  const survivors = results.filter((result) => result.status === "survived");
  if (survivors.length > 0) say(options, `survived: ${survivors.map((result) => `${result.name}${result.executed === false ? " (never executed)" : ""}`).join(", ")}`);
  if (errors.length > 0) say(options, paint.warn(`${errors.length} mutant(s) could not be hunted: ${errors.map((result) => `${result.name}: ${result.notes.join("; ")}`).join(" | ")}`));
  const baselineFailed = baseline !== null && baseline.status !== "survived";
  if (baselineFailed) say(options, paint.fail(`the baseline failed (${baseline.status}: ${baseline.by ?? baseline.notes.join("; ")}): the fixed server itself is not clean`));
  else if (baseline !== null) say(options, paint.pass(`baseline: the unmutated server is clean over the same hunt (${baseline.seeds} runs)`));

  if (options.json) {
    const stages = stageTallies(STAGES, skipped, results);
    const pick = ({ name, status, stage, by, seeds, seconds, executed }: MutantResult) => ({ name, killed: status === "killed", status, stage, by, seeds, seconds, executed });
    process.stdout.write(
      `${JSON.stringify({ mutants: results.length, killed: killed.length, rate, medianSeconds, stages, baseline: baseline && pick(baseline), results: results.map(pick) })}\n`,
    );
  }
  return errors.length > 0 || baselineFailed ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    removeAllScratch();
    process.exit(130);
  });
}
try {
  process.exitCode = await main();
} catch (error) {
  process.exitCode = error instanceof UsageError ? 2 : 3;
  process.stderr.write(`mutants: ${(error as Error).message}${error instanceof UsageError ? `\n${USAGE}` : ""}\n`);
} finally {
  removeAllScratch();
}
