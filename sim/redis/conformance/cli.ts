/**
 * The conformance suite against a real redis-server: generated command sequences, every server script on
 * random pre-states and inputs, and the Redis commands of every scenario replayed. Exit 0 when the two
 * sides agree everywhere, 1 on any mismatch, 2 on bad usage.
 *
 *   npm run conformance -- [--seed N] [--sequences N] [--length N] [--cases N] [--replay-limit N]
 *                          [--only sequences,scripts,replay] [--tolerance-ms N] [--json]
 */
import { Command as Program, CommanderError, InvalidArgumentError, Option } from "commander";
import { ExitCode } from "../../cli/exit-codes.ts";
import { Output, paint, table } from "../../cli/output.ts";
import type { LuaMode } from "../lua/scripting.ts";
import { IoredisClient } from "./real-client.ts";
import { startRealRedis, type RedisServer } from "./real-server.ts";
import { SERVER_SCRIPT_CASES } from "./script-cases/index.ts";
import { runReplayPart, runScriptsPart, runSequencesPart, type PartName, type PartResult, type SuiteContext, type SuiteMismatch } from "./suite.ts";

interface Flags {
  seed: number;
  sequences: number;
  length: number;
  cases: number;
  replayLimit: number;
  only: PartName[];
  toleranceMs: number;
  lua: LuaMode;
  json: boolean;
}

const PARTS: readonly PartName[] = ["sequences", "scripts", "replay"];

function count(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}

function parts(value: string): PartName[] {
  const names = value.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !PARTS.includes(name as PartName));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown part ${unknown.join(", ")} (parts: ${PARTS.join(", ")})`);
  return names as PartName[];
}

function parse(argv: string[]): Flags {
  const program = new Program("conformance")
    .description("compare the simulated Redis with a real redis-server (REDIS_URL, or one started on loopback)")
    .option("--seed <n>", "seed of the generated sequences and script cases, and of the replayed runs", count, 1)
    .option("--sequences <n>", "generated command sequences", count, 300)
    .option("--length <n>", "longest generated sequence", count, 25)
    .option("--cases <n>", "random pre-states and inputs per server script", count, 60)
    .option("--replay-limit <n>", "commands replayed at most per scenario run", count, 3_000)
    .option("--only <parts>", `comma-separated parts to run (${PARTS.join(", ")})`, parts, [...PARTS])
    .option("--tolerance-ms <n>", "in scripts and replays, ms timestamps (numbers >= 1e12) agree within this", count, 1_000)
    .addOption(new Option("--lua <path>", "the scripting path judged: compiled (what runs by default) or interpreted (fengari, the fallback)").choices(["compiled", "interpreted"]).default("compiled"))
    .option("--json", "print {commands, scripts, mismatches} as the last line", false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.parse(argv, { from: "user" });
  return program.opts<Flags>();
}

const PART_TITLES: Record<PartName, string> = {
  sequences: "generated command sequences",
  scripts: "server scripts, random pre-states and inputs",
  replay: "scenario traces replayed (both servers)",
};

async function runPart(name: PartName, context: SuiteContext, flags: Flags): Promise<PartResult> {
  switch (name) {
    case "sequences":
      return runSequencesPart(context, flags.sequences, flags.length);
    case "scripts":
      return runScriptsPart(context, flags.cases);
    case "replay":
      return runReplayPart(context, flags.replayLimit);
  }
}

const thousands = (n: number) => n.toLocaleString("en-US");

function clip(value: unknown, length = 600): string {
  const text = JSON.stringify(value);
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function printMismatch(out: Output, mismatch: SuiteMismatch): void {
  out.line(`  ${paint.fail("✗")} ${paint.name(mismatch.part)} ${mismatch.where} ${paint.dim(`(seed ${mismatch.seed})`)}: ${mismatch.reason}`);
  out.line(`      command: ${clip(mismatch.command, 400).slice(1, -1)}`);
  out.line(`      sim:     ${clip(mismatch.sim)}`);
  out.line(`      real:    ${clip(mismatch.real)}`);
}

function report(out: Output, results: PartResult[], timings: Map<PartName, number>, flags: Flags): void {
  const rows = [["part", "commands", "keyspaces", "mismatches", "time", ""].map((cell) => paint.strong(cell))];
  for (const result of results) {
    const bad = result.mismatches.length;
    rows.push([
      paint.name(result.part),
      thousands(result.commands),
      thousands(result.dumps),
      bad === 0 ? paint.pass("0") : paint.fail(String(bad)),
      `${((timings.get(result.part) ?? 0) / 1000).toFixed(1)} s`,
      paint.dim(PART_TITLES[result.part]),
    ]);
  }
  const total = results.reduce((sum, r) => sum + r.commands, 0);
  const totalBad = results.reduce((sum, r) => sum + r.mismatches.length, 0);
  rows.push([
    paint.strong("total"),
    paint.strong(thousands(total)),
    thousands(results.reduce((sum, r) => sum + r.dumps, 0)),
    totalBad === 0 ? paint.pass("0") : paint.fail(String(totalBad)),
    "",
    "",
  ]);
  for (const line of table(rows)) out.line(`  ${line}`);

  const scripted = results.find((r) => r.part === "scripts");
  const replayed = results.find((r) => r.part === "replay");
  const covered = coveredScripts(results);
  out.line();
  out.line(`server scripts: ${covered.length === SERVER_SCRIPT_CASES.length ? paint.pass(`${covered.length}/${SERVER_SCRIPT_CASES.length}`) : paint.warn(`${covered.length}/${SERVER_SCRIPT_CASES.length}`)} covered`);
  const scriptRows: string[][] = [];
  for (const { script } of SERVER_SCRIPT_CASES) {
    const kinds = scripted?.scripts.get(script.name);
    const replays = replayed?.scripts.get(script.name)?.get("replayed") ?? 0;
    const cases = kinds ? [...kinds.values()].reduce((a, b) => a + b, 0) : 0;
    const outcomes = kinds ? [...kinds.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind}×${n}`).join("  ") : "";
    scriptRows.push([paint.name(script.name), `${cases} cases`, `${replays} replayed`, paint.dim(outcomes)]);
  }
  for (const line of table(scriptRows)) out.line(`  ${line}`);
  if (replayed && replayed.notes.length > 0) {
    out.line();
    out.line("replayed runs:");
    for (const note of replayed.notes) out.line(`  ${paint.dim(note)}`);
  }
  out.line();
  out.line(
    paint.dim(
      `scripts and replays: numbers and numeric strings >= 1e12 are ms timestamps (scripts read Redis TIME; the engine's clock is ` +
        `Date.now()), equal within ${flags.toleranceMs} ms; generated sequences compare them exactly`,
    ),
  );
  if (totalBad > 0) {
    out.line();
    out.line(paint.fail(`${totalBad} mismatch${totalBad === 1 ? "" : "es"}:`));
    for (const result of results) for (const mismatch of result.mismatches) printMismatch(out, mismatch);
  }
}

function coveredScripts(results: PartResult[]): string[] {
  const names = new Set<string>();
  for (const result of results) for (const name of result.scripts.keys()) names.add(name);
  return SERVER_SCRIPT_CASES.map(({ script }) => script.name).filter((name) => names.has(name));
}

async function main(argv: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
  const out = new Output(flags.json);
  let server: RedisServer;
  try {
    server = await startRealRedis();
  } catch (error) {
    process.stderr.write(`conformance: ${(error as Error).message}\n`);
    return ExitCode.usage;
  }
  const real = await IoredisClient.connect(server.url);
  try {
    const version = /redis_version:(\S+)/.exec(String(await real.client.call("INFO", "server")))?.[1] ?? "?";
    out.line(`${paint.strong("Redis conformance")}: simulated Redis vs redis-server ${version} at ${server.url}, seed ${flags.seed}`);
    out.line();
    const context: SuiteContext = { real, seed: flags.seed, timestampToleranceMs: flags.toleranceMs, lua: flags.lua };
    const results: PartResult[] = [];
    const timings = new Map<PartName, number>();
    for (const name of PARTS.filter((part) => flags.only.includes(part))) {
      const start = performance.now();
      results.push(await runPart(name, context, flags));
      timings.set(name, performance.now() - start);
    }
    report(out, results, timings, flags);
    const mismatches = results.flatMap((result) => result.mismatches);
    out.result({ commands: results.reduce((sum, r) => sum + r.commands, 0), scripts: coveredScripts(results), mismatches });
    return mismatches.length === 0 ? ExitCode.ok : ExitCode.violation;
  } finally {
    await real.reset();
    real.disconnect();
    await server.stop();
  }
}

// Ctrl-C exits through process.exit, so the server started for the run is stopped with it.
process.once("SIGINT", () => process.exit(130));
process.exitCode = await main(process.argv.slice(2));
