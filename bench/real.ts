/**
 * End to end through WebSockets and a real Redis: redis-server, two fixed match-servers (tick 50 ms), a pool of
 * dedicated servers whose games end quickly, and swarms of all-normal players. Prints players matched per
 * second and enqueue-to-match_found latency (p50/p99) per swarm size. Not a test: numbers depend on the machine.
 *
 *   npm run bench:real -- [--players 200,500,1000] [--servers 16] [--game-ms 50] [--tick-ms 50]
 *                         [--time-scale 0.01] [--ramp-ms 0] [--json]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { configFrom } from "../src/config/validate.ts";
import { runSwarm, type SwarmResult } from "../sim/swarm/swarm.ts";
import { startRealRedis, type RealRedis } from "../test/support/redis-server.ts";
import { RunningBinary } from "../test/real/processes.ts";

interface BenchFlags {
  players: string;
  servers: string;
  gameMs: string;
  tickMs: string;
  timeScale: string;
  rampMs: string;
  json?: boolean;
}

const flags = new Command("bench:real")
  .option("--players <list>", "swarm sizes, comma separated", "200,500,1000")
  .option("--servers <n>", "dedicated servers", "16")
  .option("--game-ms <n>", "game length on the dedicated servers", "50")
  .option("--tick-ms <n>", "match tick interval", "50")
  .option("--time-scale <f>", "scales the players' loading time (normal: 200-4000 ms)", "0.01")
  .option("--ramp-ms <n>", "players join spread over this long", "0")
  .option("--json", "print a JSON object as the last line")
  .parse()
  .opts<BenchFlags>();

const sizes = flags.players.split(",").map(Number);
const serverCount = Number(flags.servers);
const gameMs = Number(flags.gameMs);
const settings = {
  matchTickMs: Number(flags.tickMs),
  staleSweepMs: 500,
  loadingTimeoutMs: 10_000,
  heartbeatIntervalMs: 5_000,
  clientTimeoutMs: 30_000,
};
const config = configFrom({ ...settings, gameModes: [{ name: "Normal_1v1", requiredPlayers: 2 }] });
if (!config.ok || sizes.some((size) => !Number.isInteger(size) || size < 2) || !(serverCount >= 1) || !(gameMs >= 1)) {
  process.stderr.write(`bench:real: bad options${config.ok ? "" : `: ${config.error}`}\n`);
  process.exit(2);
}
const log = (text: string) => (flags.json ? process.stderr : process.stdout).write(`${text}\n`);

const dir = mkdtempSync(join(tmpdir(), "bench-real-"));
const configPath = join(dir, "config.toml");
writeFileSync(
  configPath,
  `${Object.entries(settings)
    .map(([key, value]) => `${key} = ${value}`)
    .join("\n")}\n\n[[gameModes]]\nname = "Normal_1v1"\nrequiredPlayers = 2\n`,
);

const processes: RunningBinary[] = [];
let redis: RealRedis | null = null;
const rows: Array<{ players: number; result: SwarmResult }> = [];
try {
  redis = await startRealRedis();
  const url = redis.url;
  const dedicated = Array.from({ length: serverCount }, (_, i) =>
    RunningBinary.start("dedicated-server", ["--redis", url, "--port", "0", "--id", `ds${i + 1}`, "--game-ms", String(gameMs), "--log-level", "info"]),
  );
  const servers = [1, 2].map((n) =>
    RunningBinary.start("match-server", ["serve", "--config", configPath, "--redis", url, "--port", "0", "--instance-id", `ms${n}`, "--log-level", "info"]),
  );
  processes.push(...dedicated, ...servers);
  await Promise.all(dedicated.map((binary) => binary.waitForLog("listening", 60_000)));
  const ports = await Promise.all(servers.map(async (binary) => Number((await binary.waitForLog("listening", 60_000)).port)));
  log(`bench:real  2 match-servers (tick ${settings.matchTickMs} ms), ${serverCount} dedicated servers (games ${gameMs} ms), time scale ${flags.timeScale}`);

  for (const [index, players] of sizes.entries()) {
    const result = await runSwarm({
      urls: ports.map((port) => `ws://127.0.0.1:${port}/ws/`),
      players,
      mix: { normal: 1 },
      variant: "fixed",
      config: config.value,
      redisUrl: url,
      seed: `bench-${index}-${players}`,
      timeScale: Number(flags.timeScale),
      rampMs: Number(flags.rampMs),
      settleMs: 120_000,
      checkEveryMs: 500,
      gameMs,
    });
    rows.push({ players, result });
    const latency = result.latencyMs;
    log(
      `  ${String(players).padStart(6)} players  ${String(result.matched).padStart(6)} matched  ${result.playersPerSecond.toFixed(1).padStart(7)} players/s  ` +
        `p50 ${latency ? Math.round(latency.p50) : "-"} ms  p99 ${latency ? Math.round(latency.p99) : "-"} ms  ` +
        `${result.violations.length} violation(s)  ${result.errors} error(s)${result.settled ? "" : "  (did not settle)"}`,
    );
    for (const violation of result.violations.slice(0, 5)) {
      log(`    ${violation.invariant}: ${violation.message}`);
      for (const binary of dedicated) for (const line of binary.logs) if (typeof line.session_id === "string" && violation.message.includes(line.session_id)) log(`      ${JSON.stringify(line)}`);
    }
    // Let the last games end so the next swarm starts with every server idle.
    await new Promise((resolve) => setTimeout(resolve, gameMs + 500));
  }
} finally {
  await Promise.all(processes.map((binary) => binary.stop()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (flags.json) {
  process.stdout.write(
    `${JSON.stringify({
      tickMs: settings.matchTickMs,
      servers: serverCount,
      gameMs,
      timeScale: Number(flags.timeScale),
      runs: rows.map(({ players, result }) => ({
        players,
        matched: result.matched,
        playersPerSecond: Number(result.playersPerSecond.toFixed(2)),
        p50Ms: result.latencyMs ? Math.round(result.latencyMs.p50) : null,
        p99Ms: result.latencyMs ? Math.round(result.latencyMs.p99) : null,
        violations: result.violations.length,
        errors: result.errors,
        settled: result.settled,
      })),
    })}\n`,
  );
}
