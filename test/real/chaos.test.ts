import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IoRedisPort } from "../../src/adapters/ioredis-port.ts";
import { configFrom } from "../../src/config/validate.ts";
import { Keys } from "../../src/fixed/keys.ts";
import { runSwarm } from "../../sim/swarm/swarm.ts";
import { RestartableRedis } from "../support/restartable-redis.ts";
import { RunningBinary } from "./processes.ts";
import { realRedisAvailable } from "./real-redis.ts";

/**
 * The real stack under faults: redis-server, two match servers, three dedicated servers and a swarm of
 * WebSocket players. Mid-run Redis is restarted (every key lost), a dedicated server is killed with SIGKILL and
 * another started. Every process must recover without a restart of its own, every willing player be matched in
 * the end, and the simulation's oracle find nothing on the real Redis.
 */

/** Behaviour delays scaled: loading takes 10-200 ms, a reconnect 25 ms to 1 s. */
const TIME_SCALE = 0.05;
const GAME_MS = 300;
const HEARTBEAT_MS = 200;
const REGISTRATION_TTL_MS = 800;
const SETTINGS = {
  matchTickMs: 100,
  staleSweepMs: 500,
  loadingTimeoutMs: 8_000,
  heartbeatIntervalMs: 1_000,
  clientTimeoutMs: 5_000,
  presenceIntervalMs: 250,
  instanceTtlMs: 1_000,
  allocationTimeoutMs: 3_000,
  allocationRequestTimeoutMs: 1_000,
};
const CONFIG_TOML = `${Object.entries(SETTINGS)
  .map(([key, value]) => `${key} = ${value}`)
  .join("\n")}

[[gameModes]]
name = "Normal_1v1"
requiredPlayers = 2
`;
/** Every behaviour that wants a match and whose fate does not hang on a race: all of them end up matched. */
const MIX = { normal: 0.6, "slow-loader": 0.1, reconnects: 0.1, "enqueues-twice": 0.1, "quits-after-match": 0.1 } as const;
const PLAYERS = 60;
const RAMP_MS = 5_000;
/** When the faults strike, after the swarm started. */
const REDIS_DOWN_AT_MS = 1_500;
const REDIS_DOWN_FOR_MS = 800;
const KILL_AT_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function health(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
}

describe.skipIf(!realRedisAvailable)("chaos: Redis restarted, a dedicated server killed, under a swarm", () => {
  const dir = mkdtempSync(join(tmpdir(), "chaos-"));
  const started: RunningBinary[] = [];
  let redis: RestartableRedis | null = null;

  afterAll(async () => {
    await Promise.all(started.map((binary) => binary.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(binary: "match-server" | "dedicated-server", args: string[]): RunningBinary {
    const running = RunningBinary.start(binary, args);
    started.push(running);
    return running;
  }

  function dedicatedServer(id: string): RunningBinary {
    return start("dedicated-server", [
      ...["--redis", redis!.url, "--port", "0", "--id", id, "--game-ms", String(GAME_MS)],
      ...["--heartbeat-ms", String(HEARTBEAT_MS), "--ttl-ms", String(REGISTRATION_TTL_MS)],
    ]);
  }

  it("recovers from every fault, matches every willing player, and the oracle finds nothing", { timeout: 60_000 }, async () => {
    redis = await RestartableRedis.start();
    const configPath = join(dir, "config.toml");
    writeFileSync(configPath, CONFIG_TOML);
    const config = configFrom({ ...SETTINGS, gameModes: [{ name: "Normal_1v1", requiredPlayers: 2 }] });
    if (!config.ok) throw new Error(config.error);

    const dedicated = ["ds1", "ds2", "ds3"].map(dedicatedServer);
    const servers = ["ms1", "ms2"].map((id) =>
      start("match-server", ["serve", "--config", configPath, "--redis", redis!.url, "--port", "0", "--instance-id", id]),
    );
    await Promise.all(dedicated.map((binary) => binary.waitForLog("listening", 30_000)));
    const ports = await Promise.all(servers.map(async (binary) => Number((await binary.waitForLog("listening", 30_000)).port)));

    const faults = (async () => {
      await sleep(REDIS_DOWN_AT_MS);
      await redis!.down("SIGKILL");
      // While Redis is away every match server says so.
      await expect.poll(() => Promise.all(ports.map(health)), { timeout: 5_000, interval: 100 }).toEqual([503, 503]);
      await sleep(REDIS_DOWN_FOR_MS);
      await redis!.up();
      await expect.poll(() => Promise.all(ports.map(health)), { timeout: 10_000, interval: 100 }).toEqual([200, 200]);
      await sleep(KILL_AT_MS - REDIS_DOWN_AT_MS - REDIS_DOWN_FOR_MS);
      await dedicated[0]!.kill();
      await dedicatedServer("ds4").waitForLog("listening", 30_000);
    })();

    const result = await runSwarm({
      urls: ports.map((port) => `ws://127.0.0.1:${port}/ws/`),
      players: PLAYERS,
      mix: MIX,
      variant: "fixed",
      config: config.value,
      redisUrl: redis.url,
      seed: "chaos-test",
      timeScale: TIME_SCALE,
      rampMs: RAMP_MS,
      settleMs: 30_000,
      checkEveryMs: 200,
      gameMs: GAME_MS,
      redisOutages: true,
    });
    await faults;

    expect(result.violations).toEqual([]);
    expect(result.settled).toBe(true);
    expect(result.willing).toBeGreaterThan(PLAYERS / 2);
    expect(result.unmatched).toBe(0);
    expect(result.matched).toBe(result.willing);

    // Every process recovered on its own: the match servers were fenced and registered afresh, the dedicated
    // servers lost their registration and registered again, and the killed one was reaped.
    for (const binary of servers) expect(binary.logs.map((line) => line.event)).toContain("instance_fenced");
    for (const binary of dedicated.slice(1)) expect(binary.logs.map((line) => line.event)).toContain("dedicated_server_registration_lost");
    const reaped = servers.flatMap((binary) => binary.logs.filter((line) => line.event === "dedicated_servers_reaped"));
    expect(reaped.flatMap((line) => line.servers as string[])).toContain("ds1");
    // A dead server costs at most one failed allocation: it is parked out of the pool, then reaped.
    const failedOnDead = servers.flatMap((binary) => binary.logs.filter((line) => line.event === "allocation_failed" && line.server === "ds1"));
    expect(failedOnDead.length).toBeLessThanOrEqual(1);
    const observer = IoRedisPort.connect(redis.url);
    try {
      expect(await observer.call("EXISTS", Keys.server("ds1"))).toBe(0);
      expect(((await observer.call("ZRANGE", Keys.liveServers, 0, -1)) as string[]).sort()).toEqual(["ds2", "ds3", "ds4"]);
    } finally {
      await observer.quit();
    }
    for (const binary of started.filter((each) => each !== dedicated[0])) {
      expect(await binary.stop(), binary.name).toBe(0);
      expect(binary.stderr, binary.name).toBe("");
    }
  });
});
