import { SCENARIOS } from "../../../scenarios/index.ts";
import type { Variant } from "../../../src/server/match-server.ts";
import type { FuzzJob, FuzzOutcome } from "../../fuzz/job.ts";
import { runPool } from "../../fuzz/pool.ts";
import { reportFailure } from "../../report/report-failure.ts";
import { reproduceCommand } from "../../run/reproduce-command.ts";
import type { StrategyName } from "../../scheduler/strategy.ts";
import { resolveScenario } from "../../scenario/resolve.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint, table } from "../output.ts";
import { parseCount, parseProbability, parseSeedRange, parseShard, parseStrategy, parseVariant } from "../parse-args.ts";
import { Progress } from "../progress.ts";

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
}

/** Failing runs whose violations the JSON lists per scenario (lowest seeds first); `failures` counts them all. */
const LISTED_FAILURES = 50;

/** Without --seeds, a budgeted fuzz runs seeds from 0 until the time is up; otherwise this many. */
const DEFAULT_SEEDS = 100;
const UNBOUNDED = 1_000_000_000;

function* jobsFor(
  scenarios: string[],
  run: { server: Variant; strategy: StrategyName; coincidence: number | undefined },
  from: number,
  to: number,
  shard: { index: number; count: number },
): Generator<FuzzJob> {
  const { server, strategy, coincidence } = run;
  for (let seed = from; seed <= to; seed++) {
    if ((seed - from) % shard.count !== shard.index - 1) continue;
    for (const scenario of scenarios) yield { scenario, server, seed, strategy, coincidence };
  }
}

export async function fuzzCommand(flags: FuzzFlags): Promise<number> {
  const server = parseVariant(flags.server);
  const strategy = parseStrategy(flags.strategy);
  const coincidence = flags.coincidence === undefined ? undefined : parseProbability("--coincidence", flags.coincidence);
  const workers = parseCount("--workers", flags.workers, { min: 1, max: 64 });
  const budgetMs = flags.budget === undefined ? null : parseCount("--budget", flags.budget, { min: 1, max: 7 * 86_400 }) * 1000;
  const range = flags.seeds ? parseSeedRange(flags.seeds) : { from: 0, to: budgetMs === null ? DEFAULT_SEEDS - 1 : UNBOUNDED };
  const shard = flags.shard ? parseShard(flags.shard) : { index: 1, count: 1 };
  const names = flags.scenario.length > 0 ? flags.scenario : SCENARIOS.map((scenario) => scenario.name);
  for (const name of names) await resolveScenario(name);
  const out = new Output(flags.json === true);
  const seedText = range.to === UNBOUNDED ? `${range.from}..` : `${range.from}..${range.to}`;
  out.line(
    `${paint.strong("sim fuzz")} server ${paint.name(server)}  strategy ${paint.name(strategy)}  seeds ${seedText}` +
      `${coincidence === undefined ? "" : `  coincidence ${coincidence}`}` +
      `${shard.count > 1 ? `  shard ${shard.index}/${shard.count}` : ""}  workers ${workers}` +
      `${budgetMs === null ? "" : `  budget ${budgetMs / 1000} s`}  scenarios ${names.join(", ")}`,
  );

  const started = performance.now();
  const progress = new Progress(out.json);
  const perScenario = new Map(names.map((name) => [name, { runs: 0, incomplete: 0, failures: [] as FuzzOutcome[] }]));
  let runs = 0;
  let failures = 0;
  await runPool(
    jobsFor(names, { server, strategy, coincidence }, range.from, range.to, shard),
    workers,
    (outcome) => {
      runs++;
      const tally = perScenario.get(outcome.job.scenario)!;
      tally.runs++;
      if (outcome.verdict === "incomplete") tally.incomplete++;
      if (outcome.verdict === "fail") {
        failures++;
        tally.failures.push(outcome);
      }
      progress.update(runs, null, failures, performance.now() - started);
    },
    () => budgetMs !== null && performance.now() - started >= budgetMs,
  );
  progress.done();
  const elapsedMs = Math.round(performance.now() - started);
  const runsPerSecond = Math.round((runs / Math.max(elapsedMs, 1)) * 10_000) / 10;

  const results = [];
  const rows: string[][] = [[paint.strong("scenario"), paint.strong("runs"), paint.strong("failures"), paint.strong("first failure")]];
  const reproduce: string[] = [];
  for (const [scenario, tally] of perScenario) {
    tally.failures.sort((a, b) => a.job.seed - b.job.seed);
    const violations = [];
    const first = tally.failures[0];
    if (first?.trace) {
      const report = await reportFailure(first.trace, { out: flags.out, shrink: flags.shrink });
      const command = reproduceCommand(first.trace);
      reproduce.push(`${paint.name(scenario)}: ${paint.strong(command)}  ${paint.dim(`(trace ${report.shrunk?.path ?? report.trace})`)}`);
      for (const failure of tally.failures.slice(0, LISTED_FAILURES)) {
        if (!failure.trace) continue;
        const again = reproduceCommand(failure.trace);
        for (const violation of failure.trace.violations) {
          violations.push({
            seed: failure.job.seed,
            invariant: violation.invariant,
            message: violation.message,
            step: violation.step,
            trace: failure === first ? report.trace : null,
            reproduce: again,
          });
        }
      }
    }
    rows.push([
      paint.name(scenario),
      String(tally.runs),
      tally.failures.length > 0 ? paint.fail(String(tally.failures.length)) : paint.pass("0"),
      first ? `seed ${first.job.seed}: ${first.invariants.join(", ")}` : tally.incomplete > 0 ? paint.warn(`${tally.incomplete} not judged (step budget)`) : "",
    ]);
    results.push({ scenario, runs: tally.runs, failures: tally.failures.length, violations });
  }
  for (const line of table(rows)) out.line(line);
  if (reproduce.length > 0) {
    out.line();
    out.line(paint.strong("reproduce:"));
    for (const line of reproduce) out.line(`  ${line}`);
  }
  out.line(paint.dim(`${runs} runs in ${(elapsedMs / 1000).toFixed(1)} s (${runsPerSecond} runs/s), ${failures} failing run(s)`));
  out.result({ server, runs, elapsedMs, runsPerSecond, results });
  return failures > 0 ? ExitCode.violation : ExitCode.ok;
}
