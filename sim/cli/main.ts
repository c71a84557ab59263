import { Command, Option } from "commander";
import { HarnessAssertionError } from "../assert.ts";
import { NonDeterminismError } from "../scheduler/strategy.ts";
import { checkCommand } from "./commands/check.ts";
import { coverageMergeCommand } from "./commands/coverage.ts";
import { fuzzCommand } from "./commands/fuzz.ts";
import { listCommand } from "./commands/list.ts";
import { replayCommand } from "./commands/replay.ts";
import { reportCommand } from "./commands/report.ts";
import { runCommand } from "./commands/run.ts";
import { shrinkCommand } from "./commands/shrink.ts";
import { runProgram } from "./run-program.ts";

function program(setExit: (code: number) => void): Command {
  const root = new Command("sim")
    .description("Deterministic simulation of the match server: hunt races, reproduce them, read them.")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError(false)
    // Bad usage is one line: commander's "Did you mean ...?" would be a second.
    .showSuggestionAfterError(false);

  root
    .command("list")
    .description("list the scenarios")
    .option("--json", "print a JSON object as the last line")
    .action((flags) => setExit(listCommand(flags)));

  root
    .command("run <scenario>")
    .description("run seeds N, N+1, ... of a scenario; stop at the first violation")
    .option("--server <variant>", "legacy or fixed", "fixed")
    .option("--seed <n>", "first seed", "0")
    .option("--runs <n>", "how many seeds", "100")
    .option("--strategy <name>", "preempt (switches lane whenever it can), pct or random", "preempt")
    .option("--coincidence <p>", "probability that a player's action moves onto another's or a timer's instant (default: the scenario's)")
    .option("--fault-choices <p>", "probability that a run enables each kind of fault by choice (default: the scenario's; 0: none)")
    .option("--stop-at-first", "stop each run at its first violation (default: go on, record every violation)")
    .option("--coverage <file>", "write the runs' probe hits to this file")
    .option("--json", "print a JSON object as the last line")
    .option("--out <dir>", "where traces and reports go", "reports")
    .option("--no-shrink", "report the failure as found, without shrinking it")
    .action(async (scenario, flags) => setExit(await runCommand(scenario, flags)));

  root
    .command("fuzz")
    .description("run many seeds of many scenarios, on worker threads, within a time budget")
    .option("--server <variant>", "legacy or fixed", "fixed")
    .option("--scenario <name>", "a scenario to fuzz (repeatable; default: all)", (value: string, all: string[]) => [...all, value], [])
    .option("--seeds <A..B>", "seed range, both ends included")
    .option("--budget <seconds>", "stop starting runs after this long")
    .option("--workers <n>", "worker threads, one world each", "1")
    .option("--shard <I/N>", "run the I-th of N shares of the seed range")
    .option("--strategy <name>", "preempt (switches lane whenever it can), pct or random", "preempt")
    .option("--coincidence <p>", "probability that a player's action moves onto another's or a timer's instant (default: the scenario's)")
    .option("--fault-choices <p>", "probability that a run enables each kind of fault by choice (default: the scenario's; 0: none)")
    .option("--stop-at-first", "stop each run at its first violation (default: go on, record every violation)")
    .option("--baseline <file>", "a previous campaign's --json output: mark each bug new or known")
    .option("--fail-on <what>", "exit 1 on any failing run, or only on bugs new since --baseline", "any")
    .option("--coverage <file>", "write the campaign's probe hits to this file")
    .option("--require-coverage", "exit 1 when a must-hit probe was never hit")
    .option("--swarm", "draw each run's world (instances, servers, players, modes, faults, timing) from its seed")
    .option("--guided", "keep runs that hit new probes or probe pairs and spend half the runs mutating them")
    .option("--until-bug", "stop starting runs once a run showed a bug (one new since --baseline, when given)")
    .option("--json", "print a JSON object as the last line")
    .option("--out <dir>", "where traces and reports go", "reports")
    .option("--no-shrink", "report failures as found, without shrinking them")
    .action(async (flags) => setExit(await fuzzCommand(flags)));

  root
    .command("check <scenario>")
    .description("explore every schedule of a scenario's small world within bounds, reduced by partial orders")
    .option("--server <variant>", "legacy or fixed", "fixed")
    .option("--seed <n>", "the seed fixing the world (players, behaviours, action times)", "0")
    .option("--preemptions <k>", "most switches away from a handler that still has a step due, per schedule", "2")
    .option("--faults <f>", "most fault choices (crash, pause, lost command or reply...) per schedule", "0")
    .option("--budget <seconds>", "stop starting schedules after this long", "600")
    .option("--shard <I/N>", "explore the I-th of N shares of the tree's subtrees")
    .option("--no-reduce", "plain bounded depth-first search, without partial-order reduction")
    .option("--json", "print a JSON object as the last line")
    .option("--out <dir>", "where traces and reports go", "reports")
    .option("--no-shrink", "report the failure as found, without shrinking it")
    .action(async (scenario, flags) => setExit(await checkCommand(scenario, flags)));

  root
    .command("replay <trace>")
    .description("re-execute a trace from its decision list and confirm the run is identical")
    .addOption(
      new Option("--lua <path>", "how the simulated Redis runs scripts: compiled to JS, or on the fengari interpreter (to rule out the compiler)")
        .choices(["compiled", "interpreted"])
        .default("compiled"),
    )
    .option("--json", "print a JSON object as the last line")
    .action(async (trace, flags) => setExit(await replayCommand(trace, flags)));

  root
    .command("shrink <trace>")
    .description("minimise a failing run while it still fails the same way (same signature); write the shrunk trace and a fresh timeline")
    .option("--budget <seconds>", "time the search may take", "60")
    .option("--signature <id>", "the bug to keep, when the run shows several (default: the first violation's)")
    .option("--out <dir>", "where the shrunk trace and the timeline go (default: beside the trace)")
    .option("--json", "print a JSON object as the last line")
    .action(async (trace, flags) => setExit(await shrinkCommand(trace, flags)));

  root
    .command("coverage")
    .description("probe coverage files (written by sim run / sim fuzz --coverage)")
    .command("merge <files...>")
    .description("merge the coverage of a campaign's shards; exit 1 when a must-hit probe was never hit")
    .option("--out <file>", "write the merged coverage to this file")
    .option("--json", "print the merged coverage summary as the last line")
    .action((files, flags) => setExit(coverageMergeCommand(files, flags)));

  root
    .command("report <trace>")
    .description("render the HTML timeline of a trace (with its shrunk trace when one lies beside it)")
    .option("--out <dir>", "where the timeline goes (default: beside the trace)")
    .option("--json", "print a JSON object as the last line")
    .action(async (trace, flags) => setExit(await reportCommand(trace, flags)));

  return root;
}

export function main(argv: string[]): Promise<number> {
  return runProgram("sim", program, argv, (error) => {
    if (error instanceof NonDeterminismError) return `non-determinism: ${error.message}`;
    if (error instanceof HarnessAssertionError) return `internal error: the harness broke its own promise (${error.message})`;
    return null;
  });
}

// `sim ... | head` closes the pipe early: that ends the output, not the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
process.exitCode = await main(process.argv.slice(2));
