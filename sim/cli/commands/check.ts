import { createHash } from "node:crypto";
import type { Variant } from "../../../src/server/match-server.ts";
import { checkOptions } from "../../check/check-options.ts";
import { explore } from "../../check/explorer.ts";
import { Shard } from "../../check/sharding.ts";
import { worldTarget, type WorldOutcome } from "../../check/world-target.ts";
import { reportFailure } from "../../report/report-failure.ts";
import { prepareOutDir } from "../../report/out-dir.ts";
import { runOnce } from "../../run/run-once.ts";
import { resolveScenario } from "../../scenario/resolve.ts";
import { NonDeterminismError } from "../../scheduler/strategy.ts";
import { signaturesOf } from "../../signature/signature.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint } from "../output.ts";
import { parseCount, parseShard, parseVariant } from "../parse-args.ts";
import { Progress } from "../progress.ts";
import { printViolations } from "./show-violations.ts";

export interface CheckFlags {
  server: string;
  seed: string;
  preemptions: string;
  faults: string;
  budget: string;
  shard?: string;
  reduce: boolean;
  json?: boolean;
  out: string;
  shrink: boolean;
}

/** Shares of a percentage, to one decimal, never 100 for a tree not exhausted. */
function percent(share: number, complete: boolean): string {
  if (complete) return "100%";
  return `${Math.min(99.9, Math.floor(share * 1000) / 10)}%`;
}

export async function checkCommand(name: string, flags: CheckFlags): Promise<number> {
  const scenario = await resolveScenario(name);
  const server: Variant = parseVariant(flags.server);
  const seed = parseCount("--seed", flags.seed);
  const preemptions = parseCount("--preemptions", flags.preemptions, { max: 100 });
  const faults = parseCount("--faults", flags.faults, { max: 100 });
  const budgetMs = parseCount("--budget", flags.budget, { min: 1, max: 7 * 86_400 }) * 1000;
  const { index, count } = flags.shard === undefined ? { index: 1, count: 1 } : parseShard(flags.shard);
  const options = checkOptions(scenario, faults);
  const outDir = prepareOutDir(flags.out);
  const out = new Output(flags.json === true);

  out.line(
    `${paint.strong("sim check")} ${paint.name(scenario.name)}  server ${paint.name(server)}  seed ${seed}  ` +
      `${options.players.length} players, ${options.instances} instance(s), ${options.servers} server(s)${scenario.check === undefined ? paint.warn(" (no check size: the scenario's own world)") : ""}  ` +
      `preemptions ≤ ${preemptions}  faults ≤ ${faults}${flags.reduce ? "" : "  no reduction"}${count > 1 ? `  shard ${index}/${count}` : ""}`,
  );
  const progress = new Progress(out.json, "schedules");
  const started = performance.now();
  let found: { outcome: WorldOutcome; decisions: readonly number[]; after: number } | null = null;
  let explored = 0;
  // What the schedules ended in (Redis and the players), by digest: how many different outcomes the bound holds.
  const ends = new Set<string>();
  const exploration = await explore(
    worldTarget({ scenario: scenario.name, checkers: scenario.checkers, server, seed, options }),
    { bounds: { preemptions, faults }, reduce: flags.reduce, shard: new Shard(index, count), deadline: started + budgetMs },
    (outcome, decisions) => {
      explored++;
      ends.add(createHash("sha1").update(outcome.final).digest("hex"));
      progress.update(explored, null, 0, performance.now() - started);
      if (outcome.violations.length === 0) return false;
      found = { outcome, decisions, after: explored };
      return true;
    },
  );
  progress.done();
  const elapsedMs = Math.round(performance.now() - started);
  const schedulesPerSecond = Math.round((exploration.schedules / Math.max(elapsedMs, 1)) * 1000 * 10) / 10;

  const violations = [];
  const failing = found as { outcome: WorldOutcome; decisions: readonly number[]; after: number } | null;
  if (failing !== null) {
    // The schedule again, recorded this time: the trace replays by its decisions, as any run's does.
    const trace = await runOnce({ scenario: scenario.name, scenarioFile: scenario.file, checkers: scenario.checkers, server, seed, strategy: "check", options, decisions: failing.decisions });
    if (trace.violations.length === 0) throw new NonDeterminismError("sim check: the failing schedule passed when run again to record it");
    const report = await reportFailure(trace, { out: outDir, shrink: flags.shrink });
    const reproduce = `npx sim replay ${report.trace}`;
    const signatures = signaturesOf(trace);
    for (const [i, violation] of trace.violations.entries()) {
      const { invariant, message, step } = violation;
      violations.push({ seed, invariant, message, step, signature: signatures[i]?.id ?? "", trace: report.trace, reproduce });
    }
    out.line(`${paint.fail("VIOLATION")} in schedule ${failing.after} (${trace.decisions.length} steps)`);
    printViolations(out, trace);
    out.line(`  trace      ${report.trace}`);
    out.line(`  timeline   ${report.html}`);
    if (report.shrunk) out.line(`  shrunk     ${report.shrunk.path}  (${trace.steps.length} -> ${report.shrunk.trace.steps.length} steps)`);
    out.line(`  reproduce  ${paint.strong(reproduce)}`);
  } else if (exploration.complete) {
    out.line(`${paint.pass("no violation")} within ${preemptions} preemption(s) and ${faults} fault(s): every schedule explored${count > 1 ? " (this shard's)" : ""}`);
  } else {
    out.line(paint.warn(`budget ran out: no violation in the ${percent(exploration.coverage, false)} of the tree covered (estimated from the branches known)`));
  }
  out.line(
    paint.dim(
      `${exploration.schedules} schedules (${ends.size} distinct end states), ${exploration.pruned} pruned, ${exploration.complete ? "complete" : "not complete"} in ${(elapsedMs / 1000).toFixed(2)} s (${schedulesPerSecond} schedules/s)` +
        `${count > 1 ? `; shard ${index}/${count} owned ${exploration.roots.owned} of ${exploration.roots.met} subtree roots` : ""}`,
    ),
  );
  out.result({
    scenario: scenario.name,
    server,
    seed,
    preemptions,
    faults,
    schedules: exploration.schedules,
    pruned: exploration.pruned,
    complete: exploration.complete,
    elapsedMs,
    schedulesPerSecond,
    violations,
  });
  return failing !== null ? ExitCode.violation : ExitCode.ok;
}
