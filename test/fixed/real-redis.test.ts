import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IoRedisPort } from "../../src/adapters/ioredis-port.ts";
import { FixedText, Keys, SCRIPTS } from "../../src/fixed/index.ts";
import { ScriptRunner, type ScriptName } from "../../src/fixed/scripts.ts";
import { redisServerPath, startRealRedis, type RealRedis } from "../support/redis-server.ts";
import { RestartableRedis } from "../support/restartable-redis.ts";
import { runIdIn } from "../../sim/redis/conformance/compare.ts";
import { realRedisAvailable } from "../real/real-redis.ts";
import { MODE, PLAYER_A, PLAYER_B } from "./fixed-world.ts";

/** The same scripts, unchanged, on a real Redis 7 (Lua 5.1, real TIME, real cjson). */
describe.skipIf(!realRedisAvailable)("fixed scripts on a real Redis", () => {
  let server: RealRedis;
  let port: IoRedisPort;
  let runner: ScriptRunner;
  const inbox: Array<Record<string, unknown>> = [];
  const SID = "5e5e5e5e-0000-4000-8000-0000000000aa";
  const SID2 = "5e5e5e5e-0000-4000-8000-0000000000bb";

  const run = (name: ScriptName, ...args: Array<string | number>) => runner.run(name, Keys.deadlines, args);
  const hgetall = async (key: string) => {
    const flat = (await port.call("HGETALL", key)) as string[];
    const map: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) map[flat[i]!] = flat[i + 1]!;
    return map;
  };

  beforeAll(async () => {
    server = await startRealRedis();
    port = IoRedisPort.connect(server.url);
    await port.call("FLUSHALL");
    runner = new ScriptRunner(port);
    await port.subscribe(Keys.inbox("i1"), (_channel, message) => inbox.push(JSON.parse(message) as Record<string, unknown>));
  });

  afterAll(async () => {
    await port?.quit();
    await server?.stop();
  });

  it("every script compiles", async () => {
    for (const script of Object.values(SCRIPTS)) {
      expect(await port.call("SCRIPT", "LOAD", script.source)).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it("runs a session from enqueue to match_found, then a rollback and an expiry", async () => {
    expect(await run("register_instance", "i1", 60_000, "1")).toEqual(["ok", 0]);
    expect(await run("register_server", "ds1", "10.0.0.1:7000", 3_600_000, "1")).toEqual(["idle"]);
    expect(await run("enqueue", PLAYER_A, MODE, "i1/1", "i1")).toEqual(["queued", "new"]);
    expect(await run("enqueue", PLAYER_B, MODE, "i1/2", "i1")).toEqual(["queued", "new"]);
    expect(await run("match", MODE, 2, 60_000, 100, SID)).toEqual(["matched", 0, 0, SID]);
    const deadline = Number((await hgetall(Keys.session(SID))).deadline);
    const [seconds] = (await port.call("TIME")) as string[];
    expect(Math.abs(deadline - (Number(seconds) * 1000 + 60_000))).toBeLessThan(2_000);

    expect(await run("ready", PLAYER_A, SID, "i1/1", 15_000)).toEqual(["waiting"]);
    const allocate = (await run("ready", PLAYER_B, SID, "i1/2", 15_000)) as string[];
    expect(allocate[0]).toBe("allocate");
    const token = allocate[1]!;
    expect(await run("claim_server", SID, token, "x")).toEqual(["claimed", "ds1", "10.0.0.1:7000", 0]);
    expect(await run("commit", SID, token, "ds1", "9e9e9e9e-0000-4000-8000-000000000009", "ws://g/x?a=1")).toEqual(["matched", 2]);
    await expect.poll(() => inbox.filter((m) => (m.message as { type: string }).type === "match_found").length).toBe(2);
    expect(inbox.find((m) => (m.message as { type: string }).type === "match_found")).toEqual({
      conn: "i1/1",
      player: PLAYER_A,
      message: { type: "match_found", session_id: "9e9e9e9e-0000-4000-8000-000000000009", server_address: "ws://g/x?a=1" },
    });

    // Both leave; a reconnect is told its game again while the game's record lives.
    expect(await run("leave", PLAYER_A, "i1/1")).toEqual(["left", "in_game"]);
    expect(await run("leave", PLAYER_B, "i1/2")).toEqual(["left", "in_game"]);
    expect(await run("enqueue", PLAYER_A, MODE, "i1/9", "i1")).toEqual(["in_game"]);
    expect(await run("leave", PLAYER_A, "i1/9")).toEqual(["left", "in_game"]);
    // Once the game's record has gone, the game is over: back to the start for both, then a rollback.
    await port.call("DEL", Keys.session(SID));
    await run("register_server", "ds2", "10.0.0.2:7000", 3_600_000, "1");
    expect(await run("enqueue", PLAYER_A, MODE, "i1/3", "i1")).toEqual(["queued", "after_game"]);
    expect(await run("enqueue", PLAYER_B, MODE, "i1/4", "i1")).toEqual(["queued", "after_game"]);
    await run("match", MODE, 2, 60_000, 100, SID2);
    await run("ready", PLAYER_A, SID2, "i1/3", 15_000);
    const second = (await run("ready", PLAYER_B, SID2, "i1/4", 15_000)) as string[];
    await run("claim_server", SID2, second[1]!, "y");
    expect(await run("rollback", SID2, second[1]!, FixedText.noServer)).toEqual(["rolled_back", 2]);
    expect((await hgetall(Keys.server("ds2"))).status).toBe("idle");

    // Expiry with a loading timeout that has already passed.
    const SID3 = "5e5e5e5e-0000-4000-8000-0000000000cc";
    await run("match", MODE, 2, 1, 100, SID3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await run("expire_due", 100)).toEqual(["expired", 1, 0, 2, 0]);
    expect(await port.call("EXISTS", Keys.player(PLAYER_A))).toBe(0);

    // Reaping.
    await run("register_instance", "i1", 1, "0");
    await run("enqueue", PLAYER_A, MODE, "i1/5", "i1");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await run("reap_instances", 100, "other")).toEqual(["reaped", "i1"]);
    expect(await run("register_instance", "i1", 1, "0")).toEqual(["fenced"]);
  });
});

const binary = redisServerPath();

/** What the simulation's rollback models, on redis-server itself: a crash, and a start from the last snapshot. */
describe.skipIf(binary === null)("fixed scripts on a real Redis restarted from its snapshot", () => {
  it("find the slot written under another run_id, wipe it, and answer as on an empty Redis", async () => {
    const redis = await RestartableRedis.start();
    let client = IoRedisPort.connect(redis.url);
    try {
      const runner = new ScriptRunner(client);
      const run = (name: ScriptName, ...args: Array<string | number>) => runner.run(name, Keys.deadlines, args);
      expect(await run("register_instance", "i1", 60_000, "1")).toEqual(["ok", 0]);
      expect(await run("enqueue", PLAYER_A, MODE, "i1/1", "i1")).toEqual(["queued", "new"]);
      const before = runIdIn(await client.call("INFO", "server"));
      expect(before).toMatch(/^[0-9a-f]{40}$/);
      expect(await client.call("GET", Keys.epoch)).toBe(before);
      expect(await client.call("SAVE")).toBe("OK");
      // Acknowledged after the snapshot, lost with the crash.
      expect(await run("enqueue", PLAYER_B, MODE, "i1/2", "i1")).toEqual(["queued", "new"]);
      await client.quit();
      await redis.down("SIGKILL");

      await redis.up();
      client = IoRedisPort.connect(redis.url);
      const restarted = new ScriptRunner(client);
      // The snapshot is back, A queued and B not, under the old epoch.
      expect(await client.call("EXISTS", Keys.player(PLAYER_A), Keys.player(PLAYER_B))).toBe(1);
      expect(await restarted.run("register_instance", Keys.instances, ["i1", 60_000, "0"])).toEqual(["fenced"]);
      const after = runIdIn(await client.call("INFO", "server"));
      expect(after).not.toBe(before);
      expect(await client.call("KEYS", "{mm}:*")).toEqual([Keys.epoch]);
      expect(await client.call("GET", Keys.epoch)).toBe(after);
    } finally {
      await client.quit();
      await redis.stop();
    }
  }, 20_000);
});
