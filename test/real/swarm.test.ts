import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { configFrom } from "../../src/config/validate.ts";
import { Rng } from "../../sim/random/rng.ts";
import { snapshotRedis } from "../../sim/swarm/redis-snapshot.ts";
import { assignBehaviours, runSwarm } from "../../sim/swarm/swarm.ts";
import { startRealRedis, type RealRedis } from "../support/redis-server.ts";
import { RunningBinary } from "./processes.ts";
import { realRedisAvailable } from "./real-redis.ts";

/**
 * The whole system for real: redis-server, two match-server processes sharing it, two dedicated servers
 * whose games end, and a swarm of WebSocket players with mixed behaviours, judged by the simulation's oracle.
 */

/** Behaviour delays are scaled by this: slow loaders take 4-5.8 s, inside the 8 s loading timeout. */
const TIME_SCALE = 0.1;
const GAME_MS = 300;
const SETTINGS = {
  matchTickMs: 150,
  staleSweepMs: 500,
  loadingTimeoutMs: 8_000,
  heartbeatIntervalMs: 1_000,
  clientTimeoutMs: 5_000,
};
const CONFIG_TOML = `${Object.entries(SETTINGS)
  .map(([key, value]) => `${key} = ${value}`)
  .join("\n")}

[[gameModes]]
name = "Normal_1v1"
requiredPlayers = 2
`;

/**
 * Exact shares (the swarm apportions, it does not draw). Every behaviour whose fate does not hang on a race
 * with the server: the ones that load end up matched, so their number (108) is even and nobody is left
 * alone in the 1v1 queue; never-loads, malformed-frames and unknown-mode never are. (quits-before-match and
 * quits-during-loading are matched or not depending on timing, which would make a lone leftover possible.)
 */
const MIX = {
  normal: 0.5,
  "slow-loader": 0.1,
  "never-loads": 0.05,
  reconnects: 0.1,
  "enqueues-twice": 0.1,
  "quits-after-match": 0.1,
  "malformed-frames": 0.025,
  "unknown-mode": 0.025,
} as const;
const PLAYERS = 120;

describe.skipIf(!realRedisAvailable)("a swarm of real players against two match servers and two dedicated servers", () => {
  const dir = mkdtempSync(join(tmpdir(), "swarm-"));
  const started: RunningBinary[] = [];
  let redis: RealRedis | null = null;

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

  it("matches every willing player, and the oracle finds nothing", { timeout: 120_000 }, async () => {
    redis = await startRealRedis();
    const configPath = join(dir, "config.toml");
    writeFileSync(configPath, CONFIG_TOML);
    const config = configFrom({ ...SETTINGS, gameModes: [{ name: "Normal_1v1", requiredPlayers: 2 }] });
    if (!config.ok) throw new Error(config.error);

    const dedicated = [1, 2].map((n) =>
      start("dedicated-server", ["--redis", redis!.url, "--port", "0", "--id", `ds${n}`, "--game-ms", String(GAME_MS), "--log-level", "info"]),
    );
    const servers = [1, 2].map((n) =>
      start("match-server", ["serve", "--config", configPath, "--redis", redis!.url, "--port", "0", "--instance-id", `ms${n}`, "--log-level", "info"]),
    );
    await Promise.all(dedicated.map((binary) => binary.waitForLog("listening", 30_000)));
    const ports = await Promise.all(servers.map(async (binary) => Number((await binary.waitForLog("listening", 30_000)).port)));

    const result = await runSwarm({
      urls: ports.map((port) => `ws://127.0.0.1:${port}/ws/`),
      players: PLAYERS,
      mix: MIX,
      variant: "fixed",
      config: config.value,
      redisUrl: redis.url,
      seed: "swarm-test",
      timeScale: TIME_SCALE,
      rampMs: 1_000,
      settleMs: 60_000,
      checkEveryMs: 300,
      gameMs: GAME_MS,
    });

    expect(result.violations).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.settled).toBe(true);
    expect(result.players).toBe(PLAYERS);
    expect(result.willing).toBe(108);
    expect(result.matched).toBe(result.willing);
    expect(result.unmatched).toBe(0);
    expect(result.latencyMs?.p50).toBeGreaterThan(0);

    // 54 games on two servers: each hosted one game after another, released by its game timer.
    for (const binary of dedicated) {
      const games = binary.logs.filter((line) => line.event === "game_session_created").length;
      expect(games).toBeGreaterThan(5);
      expect(binary.logs.filter((line) => line.event === "dedicated_server_released").length).toBeGreaterThan(0);
      expect(binary.logs.filter((line) => line.level === "error")).toEqual([]);
    }
    for (const binary of servers) expect(binary.logs.filter((line) => line.level === "error")).toEqual([]);
    for (const binary of [...servers, ...dedicated]) expect(await binary.stop()).toBe(0);
  });
});

describe("swarm building blocks", () => {
  it("apportions behaviours exactly, in a seeded order", () => {
    const list = assignBehaviours(MIX, PLAYERS, new Rng("a"));
    const count = (name: string) => list.filter((behaviour) => behaviour === name).length;
    expect(list).toHaveLength(PLAYERS);
    expect([count("normal"), count("slow-loader"), count("never-loads"), count("malformed-frames"), count("unknown-mode")]).toEqual([60, 12, 6, 3, 3]);
    expect(assignBehaviours(MIX, PLAYERS, new Rng("a"))).toEqual(list);
    expect(assignBehaviours(MIX, PLAYERS, new Rng("b"))).not.toEqual(list);
    // Shares that do not divide evenly still add up to the number asked for.
    expect(assignBehaviours({ normal: 1, "never-loads": 1, reconnects: 1 }, 10, new Rng("c"))).toHaveLength(10);
  });

  it("refuses bad flags with one line and exit status 2", () => {
    const swarm = (...args: string[]) => spawnSync(process.execPath, ["bin/swarm.mjs", ...args], { cwd: join(import.meta.dirname, "../.."), encoding: "utf8" });
    for (const [args, text] of [
      [["--players", "3"], "swarm: give at least one --url ws://host:port/ws/"],
      [["--url", "http://x", "--players", "3"], 'swarm: --url must be a ws:// or wss:// URL (got "http://x")'],
      [["--url", "ws://x/ws/", "--players", "two"], 'swarm: --players must be a whole number (got "two")'],
      [["--url", "ws://x/ws/", "--players", "2", "--mix", "normal=1,dancing=2"], 'swarm: --mix: unknown behaviour "dancing"'],
      [["--url", "ws://x/ws/", "--players", "2", "--time-scale", "0"], 'swarm: --time-scale must be a positive number (got "0")'],
    ] as const) {
      const run = swarm(...args);
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain(text);
    }
  });
});

describe.skipIf(!realRedisAvailable)("a snapshot of a real Redis", () => {
  let redis: RealRedis | null = null;
  let client: Redis | null = null;

  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it("reads every key type with its PTTL, as the oracle's readers expect", async () => {
    redis = await startRealRedis();
    client = new Redis(redis.url);
    await client.flushdb();
    await client.set("s", "text");
    await client.sadd("set", "b", "a");
    await client.hset("h", "f", "1", "g", "2");
    await client.zadd("z", 2, "second", 1, "first");
    await client.rpush("l", "x", "y");
    await client.pexpire("s", 60_000);
    const snapshot = await snapshotRedis(client);
    expect(snapshot.keys()).toEqual(["h", "l", "s", "set", "z"]);
    expect(snapshot.inspect("s")).toEqual({ type: "string", value: "text" });
    expect(snapshot.inspect("set")).toMatchObject({ type: "set" });
    expect((snapshot.inspect("set")?.value as string[]).sort()).toEqual(["a", "b"]);
    expect(snapshot.inspect("h")).toEqual({ type: "hash", value: { f: "1", g: "2" } });
    expect(snapshot.inspect("z")).toEqual({ type: "zset", value: [["first", 1], ["second", 2]] });
    expect(snapshot.inspect("l")).toEqual({ type: "list", value: ["x", "y"] });
    expect(snapshot.inspect("missing")).toBeNull();
    const pttl = snapshot.execute("PTTL", ["s"]) as number;
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    expect(snapshot.execute("PTTL", ["h"])).toBe(-1);
    expect(snapshot.execute("PTTL", ["missing"])).toBe(-2);
    expect(() => snapshot.execute("GET", ["s"])).toThrow(/PTTL only/);
  });
});
