import type { Variant } from "../../../src/server/match-server.ts";
import { nameCause, type NamedCause } from "../../report/cause.ts";
import { reportFailure } from "../../report/report-failure.ts";
import { TraceGraph } from "../../report/trace-graph.ts";
import { DEFAULT_SHRINK_LIMITS } from "../../shrink/shrink.ts";
import { reproduceCommand } from "../../run/reproduce-command.ts";
import { runOnce } from "../../run/run-once.ts";
import { prepareOutDir } from "../../report/out-dir.ts";
import { withChoices, withCoincidence } from "../../scenario/options.ts";
import { signaturesOf } from "../../signature/signature.ts";
import { mergeHits } from "../../coverage/coverage.ts";
import { KITS } from "../../variants/index.ts";
import { reportCoverage } from "../coverage-output.ts";
import { resolveScenario } from "../../scenario/resolve.ts";
import type { StrategyName } from "../../scheduler/strategy.ts";
import type { Trace } from "../../trace/trace.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";
import { parseCount, parseProbability, parseStrategy, parseVariant } from "../parse-args.ts";
import { Progress } from "../progress.ts";
import { printViolations, SHOWN_BUGS } from "./show-violations.ts";

export interface RunFlags {
  server: string;
  seed: string;
  runs: string;
  strategy: string;
  json?: boolean;
  out: string;
  shrink: boolean;
  coincidence?: string;
  faultChoices?: string;
  stopAtFirst?: boolean;
  coverage?: string;
}

export async function runCommand(name: string, flags: RunFlags): Promise<number> {
  const scenario = await resolveScenario(name);
  const server: Variant = parseVariant(flags.server);
  const strategy: StrategyName = parseStrategy(flags.strategy);
  const first = parseCount("--seed", flags.seed);
  const runs = parseCount("--runs", flags.runs, { min: 1, max: 10_000_000 });
  const coincidence = flags.coincidence === undefined ? undefined : parseProbability("--coincidence", flags.coincidence);
  const faultChoices = flags.faultChoices === undefined ? undefined : parseProbability("--fault-choices", flags.faultChoices);
  // A swarm world's shape is the seed's own; any other scenario's is the same for every seed.
  const optionsOf = async (seed: number) => withChoices(withCoincidence((await resolveScenario(name, seed)).options, coincidence), faultChoices);
  const stopAtFirst = flags.stopAtFirst === true;
  const outDir = prepareOutDir(flags.out);
  const out = new Output(flags.json === true);

  out.line(
    `${paint.strong("sim run")} ${paint.name(scenario.name)}  server ${paint.name(server)}  strategy ${paint.name(strategy)}  seeds ${first}..${first + runs - 1}` +
      `${coincidence === undefined ? "" : `  coincidence ${coincidence}`}${faultChoices === undefined ? "" : `  fault choices ${faultChoices}`}` +
      `${stopAtFirst ? "  stop at first" : ""}`,
  );
  const progress = new Progress(out.json);
  const started = performance.now();
  let executed = 0;
  let incomplete = 0;
  let failure: Trace | null = null;
  const hits: Record<string, number> = {};
  for (let seed = first; seed < first + runs; seed++) {
    const options = await optionsOf(seed);
    const trace = await runOnce({ scenario: scenario.name, scenarioFile: scenario.file, checkers: scenario.checkers, server, seed, strategy, options, stopAtFirst });
    executed++;
    mergeHits(hits, trace.coverage);
    if (trace.verdict === "incomplete") incomplete++;
    progress.update(executed, runs, failure ? 1 : 0, performance.now() - started);
    if (trace.verdict === "fail") {
      failure = trace;
      break;
    }
  }
  progress.done();
  const elapsedMs = Math.round(performance.now() - started);
  const runsPerSecond = Math.round((executed / Math.max(elapsedMs, 1)) * 1000 * 10) / 10;

  const violations = [];
  if (failure) {
    out.line(`${paint.fail("VIOLATION")} seed ${failure.seed}, after ${executed} run(s)`);
    printViolations(out, failure);
    if (flags.shrink) out.line(paint.dim(`  shrinking it (at most ${DEFAULT_SHRINK_LIMITS.budgetMs / 1000} s; --no-shrink reports it as found)...`));
    const report = await reportFailure(failure, { out: outDir, shrink: flags.shrink });
    const reproduce = reproduceCommand(failure);
    const signatures = signaturesOf(failure);
    // Each distinct bug named once, by the first violation that shows it: a seed defect when recognised.
    const graph = new TraceGraph(failure);
    const causes = new Map<string, NamedCause>();
    // The report named the first violation's cause already.
    if (report.cause) causes.set(signatures[0]?.id ?? "", report.cause);
    for (const [i, violation] of failure.violations.entries()) {
      const id = signatures[i]?.id ?? "";
      if (!causes.has(id)) causes.set(id, nameCause(failure, violation, graph));
      const { invariant, message, step } = violation;
      violations.push({ seed: failure.seed, invariant, message, step, signature: id, defect: causes.get(id)?.defect?.defect ?? null, trace: report.trace, reproduce });
    }
    for (const cause of [...causes.values()].slice(0, SHOWN_BUGS)) out.line(`  cause      ${paint.strong(cause.text)}`);
    out.line(`  trace      ${report.trace}`);
    out.line(`  timeline   ${report.html}`);
    if (report.shrunk) {
      out.line(
        `  shrunk     ${report.shrunk.path}  (${failure.steps.length} -> ${report.shrunk.trace.steps.length} steps, ` +
          `${failure.options.players.length} -> ${report.shrunk.trace.options.players.length} players, same signature)`,
      );
    }
    out.line(`  reproduce  ${paint.strong(reproduce)}`);
  } else {
    out.line(`${paint.pass("no violation")} in ${executed} run(s)`);
  }
  if (incomplete > 0) out.line(paint.warn(`${incomplete} run(s) hit the step budget before settling and were not judged`));
  const coverage = reportCoverage(out, KITS[server].probes, hits, flags.coverage).summary;
  out.line(paint.dim(`${executed} runs in ${(elapsedMs / 1000).toFixed(2)} s (${runsPerSecond} runs/s)`));
  out.result({ scenario: scenario.name, server, strategy, runs: executed, elapsedMs, runsPerSecond, violations, coverage });
  return failure ? ExitCode.violation : ExitCode.ok;
}
