import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { IoRedisPort } from "../../src/adapters/ioredis-port.ts";
import { Keys } from "../../src/fixed/keys.ts";
import { parseServerMessage, type ServerMessage } from "../../src/protocol/index.ts";
import { VARIANTS } from "../../src/server/match-server.ts";
import { startRealRedis, type RealRedis } from "../support/redis-server.ts";
import { RunningBinary } from "./processes.ts";
import { realRedisAvailable } from "./real-redis.ts";

const FAST_CONFIG = `
matchTickMs = 100
staleSweepMs = 500
loadingTimeoutMs = 10000
heartbeatIntervalMs = 1000
clientTimeoutMs = 5000

[[gameModes]]
name = "Normal_1v1"
requiredPlayers = 2
`;

/** A WebSocket player: sends frames and collects the server's messages. */
class Player {
  readonly id = randomUUID();
  readonly inbox: ServerMessage[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = parseServerMessage(String(data));
      if (message.ok) this.inbox.push(message.value);
    });
  }
  static async connect(port: number): Promise<Player> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return new Player(ws);
  }
  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }
  async receive<T extends ServerMessage["type"]>(type: T): Promise<Extract<ServerMessage, { type: T }>> {
    await expect.poll(() => this.inbox.some((message) => message.type === type), { timeout: 10_000 }).toBe(true);
    return this.inbox.find((message) => message.type === type) as Extract<ServerMessage, { type: T }>;
  }
}

/** Each test starts processes through tsx; a loaded CI machine can take seconds just to boot them. */
const PROCESS_TEST_TIMEOUT_MS = 60_000;

describe.skipIf(!realRedisAvailable)("match-server and dedicated-server processes on a real Redis", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), "match-flow-"));
  const configPath = join(dir, "config.toml");
  const started: RunningBinary[] = [];
  const redises: RealRedis[] = [];

  beforeAll(() => writeFileSync(configPath, FAST_CONFIG));

  afterAll(async () => {
    await Promise.all(started.map((binary) => binary.stop()));
    await Promise.all(redises.map((redis) => redis.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  function start(binary: "match-server" | "dedicated-server", args: string[]): RunningBinary {
    const running = RunningBinary.start(binary, args);
    started.push(running);
    return running;
  }

  it.each(VARIANTS)("%s: two players are queued, load and are sent to the dedicated server", async (variant) => {
    const redis = await startRealRedis();
    redises.push(redis);
    const dedicated = start("dedicated-server", ["--variant", variant, "--redis", redis.url, "--port", "0", "--id", `ds-${variant}`]);
    const dedicatedPort = (await dedicated.waitForLog("listening")).port;
    const server = start("match-server", ["serve", "--variant", variant, "--config", configPath, "--redis", redis.url, "--port", "0"]);
    const port = Number((await server.waitForLog("listening")).port);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", variant });

    const players = [await Player.connect(port), await Player.connect(port)];
    for (const player of players) player.send({ type: "enqueue", player_id: player.id, game_mode: "Normal_1v1" });
    for (const player of players) await player.receive("queued");

    const loading = await Promise.all(players.map((player) => player.receive("start_loading")));
    const sessionId = loading[0]?.loading_session_id;
    expect(loading[1]?.loading_session_id).toBe(sessionId);
    const [first, second] = players as [Player, Player];
    first.send({ type: "loading_complete", loading_session_id: sessionId });
    if (variant === "legacy") {
      // Seed defect 2: legacy drops a ready signal that arrives while the other one holds the session lock,
      // so its players must not be ready at the same moment for this happy path to be one.
      await server.waitForLog("loading_complete_waiting");
    }
    second.send({ type: "loading_complete", loading_session_id: sessionId });

    const found = await Promise.all(players.map((player) => player.receive("match_found")));
    expect(found[1]).toEqual(found[0]);
    expect(found[0]?.server_address).toBe(`ws://127.0.0.1:${dedicatedPort}/game?session_id=${found[0]?.session_id}`);
    expect(players.flatMap((player) => player.inbox.filter((message) => message.type === "error"))).toEqual([]);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^matches_total\{mode="Normal_1v1"\} 1$/m);
    expect(metrics).toContain('queue_size{mode="Normal_1v1"} 0');

    for (const player of players) player.ws.close();
    expect(await server.stop()).toBe(0);
    expect(server.logs.map((line) => line.event)).toContain("shutdown_complete");
    expect(await dedicated.stop()).toBe(0);
    expect(server.logs.filter((line) => line.level === "error")).toEqual([]);
  });

  it.each(VARIANTS)("%s: SIGTERM closes clients with 1001, removes their players and exits 0", async (variant) => {
    const redis = await startRealRedis();
    redises.push(redis);
    const server = start("match-server", ["serve", "--variant", variant, "--config", configPath, "--redis", redis.url, "--port", "0"]);
    const port = Number((await server.waitForLog("listening")).port);
    const player = await Player.connect(port);
    const closed = new Promise<number>((resolve) => player.ws.once("close", resolve));
    player.send({ type: "enqueue", player_id: player.id, game_mode: "Normal_1v1" });
    await player.receive("queued");
    const queueKey = variant === "legacy" ? "queue:Normal_1v1" : Keys.queue("Normal_1v1");
    const observer = IoRedisPort.connect(redis.url);
    try {
      expect(await observer.call(variant === "legacy" ? "SCARD" : "ZCARD", queueKey)).toBe(1);
      expect(await server.stop()).toBe(0);
      expect(await closed).toBe(1001);
      expect(await observer.call(variant === "legacy" ? "SCARD" : "ZCARD", queueKey)).toBe(0);
      expect(server.logs.find((line) => line.event === "shutdown_complete")).toMatchObject({ drained: true });
    } finally {
      await observer.quit();
    }
  });

  it("dedicated-server: registers in the legacy layout and answers with injected failures when asked", async () => {
    const redis = await startRealRedis();
    redises.push(redis);
    const dedicated = start("dedicated-server", ["--variant", "legacy", "--redis", redis.url, "--port", "0", "--fail-rate", "1"]);
    const { port, id } = await dedicated.waitForLog("listening");
    expect(id).toBe(`127.0.0.1:${port}`);
    const observer = IoRedisPort.connect(redis.url);
    try {
      const entry = await observer.call("GET", `dedicated_server:127.0.0.1:${port}`);
      expect(JSON.parse(String(entry))).toEqual({ address: `127.0.0.1:${port}`, status: "idle" });
      const create = (body: string) =>
        fetch(`http://127.0.0.1:${port}/session/create`, { method: "POST", body, headers: { "content-type": "application/json" } });
      expect((await create('{"players":["a"]}')).status).toBe(500);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      expect(JSON.parse(String(await observer.call("GET", `dedicated_server:127.0.0.1:${port}`))).status).toBe("idle");
    } finally {
      await observer.quit();
    }
    expect(await dedicated.stop()).toBe(0);
  });

  it("refuses a bad config with one line and exit status 2", async () => {
    const badPath = join(dir, "bad.toml");
    writeFileSync(badPath, "matchTickMs = -5\n");
    const server = start("match-server", ["serve", "--config", badPath, "--port", "0"]);
    expect(await server.exitCode()).toBe(2);
    expect(server.stderr.trim().split("\n")).toEqual([`match-server: config ${badPath}: matchTickMs must be a positive integer (milliseconds)`]);
  });

  it("refuses a bad option with exit status 2", async () => {
    const server = start("match-server", ["serve", "--variant", "newest"]);
    expect(await server.exitCode()).toBe(2);
    expect(server.stderr).toContain("fixed");
  });
});
