import { SCENARIOS } from "../../../scenarios/index.ts";
import type { Variant } from "../../../src/server/match-server.ts";
import { readBaseline, type Baseline } from "../../fuzz/baseline.ts";
import { Campaign, type SignatureEntry } from "../../fuzz/campaign.ts";
import type { FuzzJob, FuzzOutcome } from "../../fuzz/job.ts";
import { GuidedSession, runGuided } from "../../fuzz/guided/session.ts";
import { WorkerPool } from "../../fuzz/pool.ts";
import { prepareOutDir } from "../../report/out-dir.ts";
import { reportFailure } from "../../report/report-failure.ts";
import { writeTrace } from "../../report/write-trace.ts";
import { reproduceCommand } from "../../run/reproduce-command.ts";
import { resolveScenario } from "../../scenario/resolve.ts";
import type { StrategyName } from "../../scheduler/strategy.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { Output, paint, table } from "../output.ts";
import { parseCount, parseProbability, parseSeedRange, parseShard, parseStrategy, parseVariant } from "../parse-args.ts";
import { Progress } from "../progress.ts";
import { neverHit } from "../../coverage/coverage.ts";
import { KITS } from "../../variants/index.ts";
import { printProbeTable, reportCoverage } from "../coverage-output.ts";
import { StopSignals } from "../stop-signals.ts";
import { SWARM_WORLD } from "../../scenario/swarm-world.ts";
import { printGuided } from "../guided-output.ts";

export interface FuzzFlags {
  server: string;
  scenario: string[];
  seeds?: string;
  budget?: string;
  workers: string;
  shard?: string;
  strategy: string;
  json?: boolean;
  out: string;
  shrink: boolean;
  coincidence?: string;
  faultChoices?: string;
  stopAtFirst?: boolean;
  baseline?: string;
  failOn: string;
  coverage?: string;
  requireCoverage?: boolean;
  swarm?: boolean;
  guided?: boolean;
  untilBug?: boolean;
}

/** Without --seeds, a budgeted fuzz runs seeds from 0 until the time is up; otherwise this many. */
const DEFAULT_SEEDS = 100;
const UNBOUNDED = 1_000_000_000;
/**
 * What shrinking the signatures' reproducers may take in all, and each at most: a campaign may find many bugs,
 * the most frequent are shrunk first, and those past the budget are reported as found.
 */
const SHRINK_BUDGET_MS = 60_000;
const SHRINK_PER_SIGNATURE = { budgetMs: 10_000, maxRuns: 200 };
/** Below this much budget left, a reproducer is not worth starting to shrink. */
const SHRINK_LEAST_MS = 1_000;
/** How much of a signature's summary the table shows. */
const SUMMARY_SHOWN = 110;

interface RunSettings {
  server: Variant;
  strategy: StrategyName;
  coincidence: number | undefined;
  faultChoices: number | undefined;
  stopAtFirst: boolean;
}

function* jobsFor(scenarios: string[], run: RunSettings, from: number, to: number, shard: { index: number; count: number }): Generator<FuzzJob> {
  for (let seed = from; seed <= to; seed++) {
    if ((seed - from) % shard.count !== shard.index - 1) continue;
    for (const scenario of scenarios) yield { scenario, seed, ...run };
  }
}

function parseFailOn(text: string): "any" | "new" {
  if (text !== "any" && text !== "new") throw new UsageError(`--fail-on must be any or new (got "${text}")`);
  return text;
}

function statusOf(entry: SignatureEntry, baseline: Baseline | null): "new" | "known" {
  return baseline?.has(entry.signature) ? "known" : "new";
}

export async function fuzzCommand(flags: FuzzFlags): Promise<number> {
  const settings: RunSettings = {
    server: parseVariant(flags.server),
    strategy: parseStrategy(flags.strategy),
    coincidence: flags.coincidence === undefined ? undefined : parseProbability("--coincidence", flags.coincidence),
    faultChoices: flags.faultChoices === undefined ? undefined : parseProbability("--fault-choices", flags.faultChoices),
    stopAtFirst: flags.stopAtFirst === true,
  };
  const workers = parseCount("--workers", flags.workers, { min: 1, max: 64 });
  const budgetMs = flags.budget === undefined ? null : parseCount("--budget", flags.budget, { min: 1, max: 7 * 86_400 }) * 1000;
  const range = flags.seeds ? parseSeedRange(flags.seeds) : { from: 0, to: budgetMs === null ? DEFAULT_SEEDS - 1 : UNBOUNDED };
  const shard = flags.shard ? parseShard(flags.shard) : { index: 1, count: 1 };
  const failOn = parseFailOn(flags.failOn);
  if (flags.swarm === true && flags.scenario.length > 0) throw new UsageError("--swarm draws every world from its seed: leave out --scenario");
  const names = flags.swarm === true ? [SWARM_WORLD] : flags.scenario.length > 0 ? flags.scenario : SCENARIOS.map((scenario) => scenario.name);
  const guided = flags.guided === true;
  for (const name of names) await resolveScenario(name);
  const baseline = flags.baseline === undefined ? null : readBaseline(flags.baseline);
  const outDir = prepareOutDir(flags.out);
  const out = new Output(flags.json === true);
  const seedText = range.to === UNBOUNDED ? `${range.from}..` : `${range.from}..${range.to}`;
  out.line(
    `${paint.strong("sim fuzz")} server ${paint.name(settings.server)}  strategy ${paint.name(settings.strategy)}  seeds ${seedText}` +
      `${settings.coincidence === undefined ? "" : `  coincidence ${settings.coincidence}`}` +
      `${settings.faultChoices === undefined ? "" : `  fault choices ${settings.faultChoices}`}` +
      `${settings.stopAtFirst ? "  stop at first" : ""}${guided ? "  guided" : ""}${flags.untilBug === true ? "  until a bug" : ""}` +
      `${shard.count > 1 ? `  shard ${shard.index}/${shard.count}` : ""}  workers ${workers}` +
      `${budgetMs === null ? "" : `  budget ${budgetMs / 1000} s`}  scenarios ${names.join(", ")}`,
  );

  const started = performance.now();
  const progress = new Progress(out.json);
  const found = new Map<string, string>();
  const foundAfterMs = new Map<string, number>();
  let bugFound = false;
  const campaign = new Campaign(names, (entry, trace) => {
    foundAfterMs.set(entry.signature, Math.round(performance.now() - started));
    if (!baseline?.has(entry.signature)) bugFound = true;
    // Written as soon as it is found: a campaign stopped or crashed later still leaves every bug's first run.
    try {
      found.set(entry.signature, writeTrace(outDir, trace));
    } catch (error) {
      out.line(paint.warn(`could not write the trace of ${entry.signature}: ${(error as Error).message}`));
    }
    progress.note(`new bug ${entry.signature} (${entry.invariant}) in ${entry.scenario} seed ${entry.firstSeed}`);
  });
  const signals = new StopSignals();
  const pool = new WorkerPool(workers);
  const jobs = jobsFor(names, settings, range.from, range.to, shard);
  const session = guided ? new GuidedSession(jobs, settings, `${seedText}:${shard.index}/${shard.count}:${names.join(",")}`) : null;
  const onOutcome = (outcome: FuzzOutcome): void => {
    campaign.record(outcome);
    progress.update(campaign.runs, null, campaign.failures, performance.now() - started, campaign.signatures.size);
  };
  const stop = (): boolean =>
    signals.requested !== null || (budgetMs !== null && performance.now() - started >= budgetMs) || (flags.untilBug === true && bugFound);
  try {
    if (session === null) await pool.run(jobs, onOutcome, stop);
    else await runGuided(session, pool, onOutcome, stop);
  } finally {
    await pool.close();
    signals.release();
  }
  progress.done();
  const interrupted = signals.requested;
  const elapsedMs = Math.round(performance.now() - started);
  const runsPerSecond = Math.round((campaign.runs / Math.max(elapsedMs, 1)) * 10_000) / 10;
  if (interrupted) out.line(paint.warn(`${interrupted}: stopped after ${campaign.runs} runs; the summary so far:`));

  const rows: string[][] = [[paint.strong("scenario"), paint.strong("runs"), paint.strong("failing"), paint.strong("first failure")]];
  const results = [];
  for (const [scenario, tally] of campaign.scenarios) {
    const first = tally.listed[0];
    rows.push([
      paint.name(scenario),
      String(tally.runs),
      tally.failures > 0 ? paint.fail(String(tally.failures)) : paint.pass("0"),
      first ? `seed ${first.seed}: ${[...new Set(first.violations.map((v) => v.invariant))].join(", ")}` : tally.incomplete > 0 ? paint.warn(`${tally.incomplete} not judged (step budget)`) : "",
    ]);
    results.push({
      scenario,
      runs: tally.runs,
      failures: tally.failures,
      violations: tally.listed.flatMap((failure) => failure.violations.map((v) => ({ seed: failure.seed, ...v }))),
    });
  }
  for (const line of table(rows)) out.line(line);

  const signatures = [];
  const entries = campaign.sortedSignatures();
  if (entries.length > 0) {
    out.line();
    out.line(paint.strong(`${entries.length} distinct bug(s), by signature:`));
    const sigRows: string[][] = [[paint.strong("signature"), paint.strong(""), paint.strong("runs"), paint.strong("first"), paint.strong("what")]];
    for (const entry of entries) {
      const status = statusOf(entry, baseline);
      sigRows.push([
        entry.signature,
        status === "new" ? paint.fail("new") : paint.dim("known"),
        String(entry.count),
        `${entry.scenario} #${entry.firstSeed}${entry.foundByMutant ? " (a mutant's)" : ""}`,
        entry.summary.length > SUMMARY_SHOWN ? `${entry.summary.slice(0, SUMMARY_SHOWN - 1)}…` : entry.summary,
      ]);
    }
    for (const line of table(sigRows)) out.line(`  ${line}`);
    out.line();
    out.line(paint.strong("reproduce (the smallest failing run of each):"));
    const shrinkUntil = performance.now() + SHRINK_BUDGET_MS;
    for (const [position, entry] of entries.entries()) {
      const left = shrinkUntil - performance.now();
      const share = Math.min(SHRINK_PER_SIGNATURE.budgetMs, left / (entries.length - position));
      const shrink = flags.shrink && interrupted === null && share >= SHRINK_LEAST_MS;
      const { trace } = entry.smallest;
      let written = found.get(entry.signature) ?? null;
      let shrunk: string | null = null;
      try {
        const report = await reportFailure(trace, { out: outDir, shrink, shrinkLimits: { ...SHRINK_PER_SIGNATURE, budgetMs: share }, signature: entry.signature });
        written = report.trace;
        shrunk = report.shrunk?.path ?? null;
      } catch (error) {
        out.line(paint.warn(`  could not write the report of ${entry.signature}: ${(error as Error).message}`));
      }
      // A mutant's run is its decisions, not its seed: its trace is what makes it again.
      const reproduce = entry.smallest.mutated ? `npx sim replay ${shrunk ?? written ?? "<its trace>"}` : reproduceCommand(trace);
      out.line(`  ${entry.signature}  ${paint.strong(reproduce)}  ${paint.dim(`(${shrunk ?? written ?? "no trace written"})`)}`);
      signatures.push({
        signature: entry.signature,
        invariant: entry.invariant,
        count: entry.count,
        firstSeed: entry.firstSeed,
        scenario: entry.scenario,
        summary: entry.summary,
        reproduce,
        trace: written,
        shrunk,
        status: statusOf(entry, baseline),
        foundAfterRuns: entry.foundAfterRuns,
        foundAfterMs: foundAfterMs.get(entry.signature) ?? null,
        foundByMutant: entry.foundByMutant,
      });
    }
  }
  out.line();
  const guidedReport = session?.report() ?? null;
  if (guidedReport !== null) printGuided(out, guidedReport, campaign.runs);
  const covered = reportCoverage(out, KITS[settings.server].probes, campaign.coverage, flags.coverage);
  printProbeTable(out, covered.file);
  const missed = flags.requireCoverage === true && neverHit(covered.file).must.length > 0;
  if (missed) out.line(paint.fail(`--require-coverage: ${neverHit(covered.file).must.length} must-hit probe(s) never hit`));
  const fresh = signatures.filter((entry) => entry.status === "new").length;
  out.line(
    paint.dim(
      `${campaign.runs} runs in ${(elapsedMs / 1000).toFixed(1)} s (${runsPerSecond} runs/s), ${campaign.failures} failing run(s), ` +
        `${entries.length} distinct bug(s)${baseline ? `, ${fresh} new since the baseline` : ""}`,
    ),
  );
  out.result({
    server: settings.server,
    runs: campaign.runs,
    elapsedMs,
    runsPerSecond,
    interrupted,
    results,
    signatures,
    coverage: covered.summary,
    ...(guidedReport === null ? {} : { guided: guidedReport }),
  });
  if (interrupted === "SIGINT") return ExitCode.interrupted;
  const failing = (failOn === "new" ? fresh > 0 : campaign.failures > 0) || missed;
  return failing ? ExitCode.violation : ExitCode.ok;
}
