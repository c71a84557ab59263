import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { IoRedisPort } from "../../src/adapters/ioredis-port.ts";
import { freePort } from "../support/redis-server.ts";
import { RestartableRedis } from "../support/restartable-redis.ts";
import { RunningBinary } from "./processes.ts";
import { realRedisAvailable } from "./real-redis.ts";

/** Whatever a person gets wrong, a process says so in one line and exits 2; and it always stops when asked. */
describe.skipIf(!realRedisAvailable)("the binaries on bad input and on SIGTERM", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-errors-"));
  const started: RunningBinary[] = [];
  let redis: RestartableRedis;
  let observer: IoRedisPort;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    observer = IoRedisPort.connect(redis.url);
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await Promise.all(started.map((binary) => binary.stop()));
    observer?.disconnect();
    await redis?.stop();
    await new Promise((resolve) => busy?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function start(binary: "match-server" | "dedicated-server", args: string[]): RunningBinary {
    const running = RunningBinary.start(binary, args);
    started.push(running);
    return running;
  }

  it("refuses each mistake with one line and exit status 2, before touching Redis", async () => {
    const badKey = join(dir, "bad-key.toml");
    const badType = join(dir, "bad-type.toml");
    writeFileSync(badKey, "matchTicks = 100\n");
    writeFileSync(badType, 'maxFramesPerSecond = "fast"\n');
    const closed = await freePort();
    const cases: Array<["match-server" | "dedicated-server", string[], string]> = [
      ["match-server", ["serve", "--redis", redis.url, "--port", String(busyPort)], `match-server: port ${busyPort} on 127.0.0.1 is in use`],
      ["dedicated-server", ["--redis", redis.url, "--port", String(busyPort)], `dedicated-server: port ${busyPort} on 127.0.0.1 is in use`],
      ["match-server", ["serve", "--redis", "127.0.0.1:6379", "--port", "0"], 'match-server: --redis: malformed Redis URL "127.0.0.1:6379" (expected redis://host:port)'],
      ["dedicated-server", ["--redis", "http://127.0.0.1:6379", "--port", "0"], 'dedicated-server: --redis: Redis URL "http://127.0.0.1:6379" must start with redis:// or rediss://'],
      [
        "match-server",
        ["serve", "--redis", `redis://127.0.0.1:${closed}`, "--port", "0", "--redis-wait-ms", "300"],
        `match-server: cannot reach Redis at redis://127.0.0.1:${closed}: connect ECONNREFUSED 127.0.0.1:${closed} (gave up after`,
      ],
      [
        "dedicated-server",
        ["--redis", "redis://nosuchhost.invalid:6379", "--port", "0", "--redis-wait-ms", "1000"],
        "dedicated-server: cannot reach Redis at redis://nosuchhost.invalid:6379:",
      ],
      ["match-server", ["serve", "--config", badKey, "--port", "0"], `match-server: config ${badKey}: unknown configuration key: matchTicks`],
      ["match-server", ["serve", "--config", badType, "--port", "0"], `match-server: config ${badType}: maxFramesPerSecond must be a positive integer`],
      ["match-server", ["serve", "--config", join(dir, "missing.toml")], `match-server: cannot read config ${join(dir, "missing.toml")}: no such file`],
      ["dedicated-server", ["--heartbeat-ms", "1000", "--ttl-ms", "1000"], "dedicated-server: --ttl-ms must be longer than --heartbeat-ms"],
    ];
    const runs = cases.map(([binary, args]) => start(binary, args));
    for (const [index, [, , line]] of cases.entries()) {
      const run = runs[index]!;
      expect(await run.exitCode(), line).toBe(2);
      const lines = run.stderr.trim().split("\n");
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toContain(line);
    }
    // The port was checked first: nothing registered.
    expect(await observer.call("KEYS", "*")).toEqual([]);
  });

  it("refuses a Redis that evicts keys, in one line, and starts on one that does not", async () => {
    await observer.call("CONFIG", "SET", "maxmemory-policy", "volatile-lru");
    try {
      for (const binary of ["match-server", "dedicated-server"] as const) {
        const run = start(binary, binary === "match-server" ? ["serve", "--redis", redis.url, "--port", "0"] : ["--redis", redis.url, "--port", "0"]);
        expect(await run.exitCode()).toBe(2);
        expect(run.stderr).toBe(`${binary}: Redis at ${redis.url} evicts keys (maxmemory-policy volatile-lru), which would lose players and sessions: set maxmemory-policy noeviction\n`);
      }
      expect(await observer.call("KEYS", "*")).toEqual([]);
    } finally {
      await observer.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }
    const server = start("match-server", ["serve", "--redis", redis.url, "--port", "0", "--instance-id", "noeviction"]);
    await server.waitForLog("listening", 30_000);
    expect(await server.stop()).toBe(0);
    expect(server.stderr).toBe("");
  });

  it("ends every process within 2 s of SIGTERM while Redis is gone, a client waiting on an enqueue", async () => {
    const server = start("match-server", ["serve", "--redis", redis.url, "--port", "0", "--instance-id", "sigterm"]);
    const dedicated = start("dedicated-server", ["--redis", redis.url, "--port", "0", "--id", "sigterm-ds"]);
    const port = Number((await server.waitForLog("listening", 30_000)).port);
    await dedicated.waitForLog("listening", 30_000);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    ws.on("error", () => {});
    await redis.down("SIGKILL");
    ws.send(JSON.stringify({ type: "enqueue", player_id: "5f0c6c1e-3f3a-4a3e-9d43-0c1f7a6f1a01", game_mode: "Normal_1v1" }));
    for (const binary of [server, dedicated]) {
      const signalled = Date.now();
      const code = await binary.stop();
      expect(Date.now() - signalled, binary.name).toBeLessThan(2_000);
      expect(code).toBe(0);
      expect(binary.stderr).toBe("");
    }
    ws.terminate();
    await redis.up();
  });
});
