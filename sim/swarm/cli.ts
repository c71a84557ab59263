import { Command } from "commander";
import { loadConfigFile } from "../../src/bin/config-file.ts";
import { ExitCode, UsageError } from "../cli/exit-codes.ts";
import { Output, paint } from "../cli/output.ts";
import { parseCount, parseVariant } from "../cli/parse-args.ts";
import { runProgram } from "../cli/run-program.ts";
import { parseMix } from "../players/behaviour.ts";
import { runSwarm, type SwarmProgress, type SwarmResult } from "./swarm.ts";

interface SwarmFlags {
  url: string[];
  players?: string;
  mix: string;
  variant: string;
  config?: string;
  redis: string;
  timeScale: string;
  rampMs: string;
  settleMs: string;
  checkEveryMs: string;
  gameMs?: string;
  seed?: string;
  json?: boolean;
}

function parseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url must be a ws:// or wss:// URL (got "${text}")`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") throw new UsageError(`--url must be a ws:// or wss:// URL (got "${text}")`);
  return text;
}

function parseScale(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new UsageError(`--time-scale must be a positive number (got "${text}")`);
  return value;
}

/** A live line on a terminal; nothing when stderr is not one (CI logs) or JSON is asked for. */
function progressLine(quiet: boolean): { draw(progress: SwarmProgress): void; clear(): void } {
  const live = !quiet && process.stderr.isTTY === true;
  return {
    draw: ({ players, started, connected, matched, errors, elapsedMs }) => {
      if (!live) return;
      const failures = errors > 0 ? paint.warn(`${errors} error(s)`) : "0 errors";
      process.stderr.write(
        `\r\x1b[2K  ${started}/${players} started  ${connected} connected  ${paint.pass(`${matched} matched`)}  ${failures}  ${(elapsedMs / 1000).toFixed(1)} s`,
      );
    },
    clear: () => {
      if (live) process.stderr.write("\r\x1b[2K");
    },
  };
}

function printResult(out: Output, result: SwarmResult): void {
  const mix = Object.entries(result.behaviours)
    .map(([behaviour, count]) => `${behaviour} ${count}`)
    .join(", ");
  out.line(`  players    ${result.players} (${mix})`);
  const unmatched = result.unmatched > 0 ? paint.fail(`, ${result.unmatched} never matched`) : "";
  out.line(`  matched    ${result.matched} player(s); ${result.willing} wanted a match${unmatched}`);
  out.line(`  rate       ${result.playersPerSecond.toFixed(1)} players matched/s`);
  if (result.latencyMs) {
    out.line(`  latency    enqueue to match_found p50 ${Math.round(result.latencyMs.p50)} ms, p99 ${Math.round(result.latencyMs.p99)} ms`);
  }
  if (result.errors > 0) out.line(paint.warn(`  errors     ${result.errors}: ${result.errorSamples.join("; ")}`));
  if (result.violations.length === 0) {
    out.line(
      result.settled
        ? `${paint.pass("no violation")} in ${(result.elapsedMs / 1000).toFixed(1)} s`
        : `${paint.fail("NOT SETTLED")} when --settle-ms ran out: ${result.unmatched} willing player(s) unmatched or work still in flight`,
    );
    return;
  }
  if (!result.settled) out.line(paint.warn("  the world had not settled when --settle-ms ran out; the end check ran anyway"));
  out.line(`${paint.fail("VIOLATION")} ${result.violations.length} invariant violation(s):`);
  for (const violation of result.violations) out.line(`  ${paint.name(violation.invariant)}  ${violation.message}`);
}

async function swarmCommand(flags: SwarmFlags): Promise<number> {
  if (flags.url.length === 0) throw new UsageError("give at least one --url ws://host:port/ws/");
  if (flags.players === undefined) throw new UsageError("--players is required");
  const urls = flags.url.map(parseUrl);
  const players = parseCount("--players", flags.players, { min: 1, max: 100_000 });
  const mix = parseMix(flags.mix);
  if (typeof mix === "string") throw new UsageError(`--mix: ${mix}`);
  const variant = parseVariant(flags.variant);
  const config = loadConfigFile(flags.config);
  if (!config.ok) throw new UsageError(config.error);
  const gameMs = flags.gameMs === undefined ? undefined : parseCount("--game-ms", flags.gameMs, { min: 1 });

  const out = new Output(flags.json === true);
  const progress = progressLine(flags.json === true);
  out.line(`${paint.strong("swarm")} ${players} players on ${urls.map(paint.name).join(", ")}  server ${paint.name(variant)}`);
  const result = await runSwarm({
    urls,
    players,
    mix,
    variant,
    config: config.value,
    redisUrl: flags.redis,
    seed: flags.seed ?? String(Date.now()),
    timeScale: parseScale(flags.timeScale),
    rampMs: parseCount("--ramp-ms", flags.rampMs),
    settleMs: parseCount("--settle-ms", flags.settleMs),
    checkEveryMs: parseCount("--check-every-ms", flags.checkEveryMs, { min: 10 }),
    ...(gameMs === undefined ? {} : { gameMs }),
    onProgress: progress.draw,
  });
  progress.clear();
  printResult(out, result);
  out.result({
    players: result.players,
    willing: result.willing,
    matched: result.matched,
    unmatched: result.unmatched,
    errors: result.errors,
    elapsedMs: result.elapsedMs,
    playersPerSecond: Number(result.playersPerSecond.toFixed(2)),
    latencyMs: result.latencyMs,
    settled: result.settled,
    violations: result.violations.map(({ invariant, message }) => ({ invariant, message })),
  });
  // A run that never settled is not a pass: its end check judged a world still in motion.
  return result.violations.length > 0 || !result.settled ? ExitCode.violation : ExitCode.ok;
}

function program(setExit: (code: number) => void): Command {
  return new Command("swarm")
    .description("Real WebSocket players with the simulation's behaviours against running match servers, checked by the simulation's oracle.")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .option("--url <url>", "a match server's WebSocket URL, ws://host:port/ws/ (repeatable; players take them in turn)", (value: string, all: string[]) => [...all, value], [])
    .option("--players <n>", "how many players")
    .option("--mix <mix>", "behaviours and weights, e.g. normal=0.7,quits-during-loading=0.1 (exact shares)", "normal=1")
    .option("--variant <variant>", "the servers' variant, fixed or legacy: the Redis layout the checker reads", "fixed")
    .option("--config <file>", "the servers' TOML config: game modes and timeouts the checker judges by")
    .option("--redis <url>", "the servers' Redis, snapshotted by the checker", "redis://127.0.0.1:6379")
    .option("--time-scale <f>", "multiplies every behaviour delay (0.1: slow loaders take 4-6 s)", "1")
    .option("--ramp-ms <n>", "players join spread over this long", "1000")
    .option("--settle-ms <n>", "after the ramp, the longest wait for every willing player to be matched", "120000")
    .option("--check-every-ms <n>", "how often Redis is snapshotted and checked while players play", "500")
    .option("--game-ms <n>", "the dedicated servers' --game-ms, so games one after another on a server are not double allocations")
    .option("--seed <seed>", "seed for behaviours, ids and delays (default: the clock)")
    .option("--json", "print a JSON object as the last line")
    .action(async (flags: SwarmFlags) => setExit(await swarmCommand(flags)));
}

export function main(argv: string[]): Promise<number> {
  // Redis unreachable and the like are expected failures of a load run: one line, not a stack.
  return runProgram("swarm", program, argv, (error: unknown) => (error instanceof Error ? error.message : String(error)));
}
