import { beforeEach, describe, expect, it } from "vitest";
import { DedicatedServer } from "../../src/dedicated/index.ts";
import { FixedText, Keys, readStats } from "../../src/fixed/index.ts";
import { ScriptRunner, type ScriptName } from "../../src/fixed/scripts.ts";
import type { RedisReply } from "../../src/ports/index.ts";
import { CountingMetrics, RecordingLogger, SeededRandom } from "../support/fake-ports.ts";
import { ManualTime } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";
import { MODE, PLAYER_A, PLAYER_B } from "./fixed-world.ts";

/** Dedicated servers as live members: a registration with a TTL, its heartbeat, and the reaper. */

const SID = "5e5e5e5e-0000-4000-8000-000000000001";
const ADDRESS = "10.0.0.1:7000";
const TTL_MS = 3_000;

let time: ManualTime;
let redis: ReturnType<typeof createTestRedis>;
let runner: ScriptRunner;
let messages: Array<{ player: string; message: unknown }>;

function run(name: ScriptName, ...args: Array<string | number>): Promise<RedisReply> {
  return runner.run(name, Keys.deadlines, args);
}

const register = (id = "ds1", fresh = "1", ttl = TTL_MS) => run("register_server", id, ADDRESS, ttl, fresh);

function hash(key: string): Record<string, string> | null {
  const value = redis.engine.inspect(key);
  return value?.type === "hash" ? value.value : null;
}

function zset(key: string): string[] {
  const value = redis.engine.inspect(key);
  return value?.type === "zset" ? value.value.map(([member]) => member) : [];
}

/** Two players matched and ready; returns the allocation's fencing token. */
async function allocating(): Promise<string> {
  await run("enqueue", PLAYER_A, MODE, "i1/a", "i1");
  await run("enqueue", PLAYER_B, MODE, "i1/b", "i1");
  await run("match", MODE, 2, 60_000, 100, SID);
  await run("ready", PLAYER_A, SID, "i1/a", 60_000);
  return ((await run("ready", PLAYER_B, SID, "i1/b", 60_000)) as string[])[1] as string;
}

beforeEach(async () => {
  time = new ManualTime();
  redis = createTestRedis(time);
  runner = new ScriptRunner(redis.port("script-test"));
  messages = [];
  await redis.port("listener").subscribe(Keys.inbox("i1"), (_channel, text) => {
    const payload = JSON.parse(text) as { player: string; message: unknown };
    messages.push({ player: payload.player, message: payload.message });
  });
  await run("register_instance", "i1", 3_600_000, "1");
});

describe("register_server", () => {
  it("registers idle and live for its TTL; a heartbeat renews it", async () => {
    expect(await register()).toEqual(["idle"]);
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
    await time.advance(TTL_MS - 500);
    expect(await register("ds1", "0")).toEqual(["renewed", "idle"]);
    await time.advance(TTL_MS - 500);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 0]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle" });
  });

  it("refuses to renew a registration that is gone, and writes nothing", async () => {
    expect(await register("ds1", "0")).toEqual(["fenced"]);
    expect(redis.engine.keys()).not.toContain(Keys.server("ds1"));
    await register();
    redis.engine.execute("FLUSHALL", []);
    expect(await register("ds1", "0")).toEqual(["fenced"]);
    expect(await register()).toEqual(["idle"]);
  });

  it("frees a claimed server at a fresh registration, ending its allocation, and a busy one (a new process hosts nothing)", async () => {
    await register();
    const token = await allocating();
    await run("claim_server", SID, token, "attempt");
    expect(await register()).toEqual(["idle", "ended"]);
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
    // Its members went back to the queue; matched again, they get the server and a game on the new process.
    const next = "5e5e5e5e-0000-4000-8000-000000000002";
    await run("match", MODE, 2, 60_000, 100, next);
    await run("ready", PLAYER_A, next, "i1/a", 60_000);
    const again = ((await run("ready", PLAYER_B, next, "i1/b", 60_000)) as string[])[1] as string;
    expect(await run("claim_server", next, again, "attempt")).toEqual(["claimed", "ds1", expect.any(String), 0]);
    expect(await run("commit", next, again, "ds1", "9e9e9e9e-0000-4000-8000-000000000009", "ws://g")).toEqual(["matched", 2]);
    expect(await register("ds1", "0")).toEqual(["renewed", "busy"]);
    expect(await register()).toEqual(["idle"]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle", session: "" });
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
  });
});

describe("reap_servers and claims of lapsed servers", () => {
  it("takes an expired idle server out of the pool, and claims skip it before the reaper comes", async () => {
    await register("ds1");
    await time.advance(1_000);
    await register("ds2");
    await time.advance(TTL_MS);
    await register("ds2", "0");
    const token = await allocating();
    expect(await run("claim_server", SID, token, "attempt")).toEqual(["claimed", "ds2", ADDRESS, 0]);
    expect(zset(Keys.idleServers)).toEqual([]);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 0, "ds1"]);
    expect(redis.engine.keys()).not.toContain(Keys.server("ds1"));
    expect(zset(Keys.liveServers)).toEqual(["ds2"]);
  });

  it("rolls back once the session a dead server was claimed for; the allocator's commit and rollback are stale", async () => {
    await register();
    const token = await allocating();
    await run("claim_server", SID, token, "attempt");
    await time.advance(TTL_MS + 1);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 1, "ds1"]);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 0]);
    expect(hash(Keys.session(SID))?.status).toBe("cancelled");
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A, PLAYER_B]);
    expect(messages.filter((m) => m.player === PLAYER_A).at(-1)?.message).toEqual({ type: "error", message: FixedText.allocationFailed });
    // The dead server never returns to the pool, whoever ends the session later.
    expect(await run("commit", SID, token, "ds1", "9e9e9e9e-0000-4000-8000-000000000009", "ws://g")).toEqual(["stale"]);
    expect(await run("rollback", SID, token, FixedText.allocationFailed)).toEqual(["stale"]);
    expect(zset(Keys.idleServers)).toEqual([]);
    expect(redis.engine.keys()).not.toContain(Keys.server("ds1"));
  });

  it("drops a busy server whose game died with it, leaving the players' game record alone", async () => {
    await register();
    const token = await allocating();
    await run("claim_server", SID, token, "attempt");
    await run("commit", SID, token, "ds1", "9e9e9e9e-0000-4000-8000-000000000009", "ws://g");
    await time.advance(TTL_MS + 1);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 0, "ds1"]);
    expect(hash(Keys.session(SID))?.status).toBe("matched");
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("in_game");
    // The server was only cut off: its next heartbeat finds the registration gone, and it registers afresh.
    expect(await register("ds1", "0")).toEqual(["fenced"]);
    expect(await register()).toEqual(["idle"]);
  });

  it("a server parked after a failed call comes back to the pool with its next heartbeat", async () => {
    await register();
    const token = await allocating();
    await run("claim_server", SID, token, "attempt");
    expect(await run("rollback", SID, token, FixedText.allocationFailed, "1")).toEqual(["rolled_back", 2]);
    expect(hash(Keys.server("ds1"))?.status).toBe("idle");
    expect(zset(Keys.idleServers)).toEqual([]);
    expect(await register("ds1", "0")).toEqual(["renewed", "idle"]);
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
  });
});

describe("stats", () => {
  it("counts this instance's players by state, live sessions, and servers live by status or expired", async () => {
    await register("ds1");
    await register("ds2");
    await register("ds3");
    const token = await allocating();
    await run("claim_server", SID, token, "attempt");
    await run("enqueue", "0c0c0c0c-0000-4000-8000-00000000000c", MODE, "i1/c", "i1");
    await time.advance(TTL_MS + 1);
    await register("ds1", "0");
    await register("ds2", "0");
    expect(await readStats(redis.port("stats"), "i1")).toEqual({
      players: { queued: 1, loading: 0, allocating: 2, in_game: 0 },
      sessions: { loading: 0, allocating: 1 },
      servers: { live: 2, idle: 1, claimed: 1, busy: 0, expired: 1 },
      instances: 1,
    });
  });
});

describe("a dedicated server's heartbeat", () => {
  const GAME_MS = 10_000;
  const INTERVAL_MS = 1_000;
  let logger: RecordingLogger;
  let metrics: CountingMetrics;

  function dedicated(variant: "fixed" | "legacy" = "fixed"): DedicatedServer {
    return new DedicatedServer({
      variant,
      id: "ds1",
      address: ADDRESS,
      random: new SeededRandom("ds"),
      redis: redis.port("dedicated"),
      logger,
      metrics,
      games: { lengthMs: GAME_MS, timers: time },
      registrationTtlMs: TTL_MS,
      heartbeat: { timers: time, intervalMs: INTERVAL_MS },
    });
  }

  beforeEach(() => {
    logger = new RecordingLogger();
    metrics = new CountingMetrics();
  });

  it("keeps the registration alive for as long as it runs, and lets it lapse once stopped", async () => {
    const ds = dedicated();
    await ds.register();
    ds.keepAlive();
    await time.advance(10 * TTL_MS);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 0]);
    ds.stop();
    await time.advance(TTL_MS + 1);
    expect(await run("reap_servers", 100)).toEqual(["reaped", 0, "ds1"]);
  });

  it("registers afresh when Redis lost its data, and says so", async () => {
    const ds = dedicated();
    await ds.register();
    ds.keepAlive();
    redis.engine.execute("FLUSHALL", []);
    await time.advance(INTERVAL_MS);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle", address: ADDRESS });
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
    expect(logger.events()).toContain("dedicated_server_registration_lost");
    expect(metrics.count("registrations_total")).toBe(2);
    expect(ds.isRegistered).toBe(true);
  });

  it("while a game of its own runs, waits for its end before it offers itself again", async () => {
    const ds = dedicated();
    await ds.register();
    ds.keepAlive();
    const created = await ds.handleCreateSession(JSON.stringify({ players: [PLAYER_A, PLAYER_B] }), {});
    expect(created.status).toBe(200);
    redis.engine.execute("FLUSHALL", []);
    await time.advance(3 * INTERVAL_MS);
    expect(ds.isRegistered).toBe(false);
    expect(redis.engine.keys()).not.toContain(Keys.server("ds1"));
    await time.advance(GAME_MS);
    expect(ds.gamesRunning).toBe(0);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle" });
  });

  it("keeps trying while Redis fails, without letting anything escape", async () => {
    const unreachable = async (): Promise<never> => Promise.reject(new Error("connection lost"));
    const broken = new DedicatedServer({
      variant: "fixed",
      id: "ds9",
      address: ADDRESS,
      random: new SeededRandom("x"),
      redis: { call: unreachable, runScript: unreachable, subscribe: unreachable, psubscribe: unreachable },
      logger,
      heartbeat: { timers: time, intervalMs: INTERVAL_MS },
    });
    broken.keepAlive();
    await time.advance(3 * INTERVAL_MS);
    expect(logger.events().filter((event) => event === "dedicated_server_heartbeat_failed")).toHaveLength(3);
    expect(broken.isRegistered).toBe(false);
    broken.stop();
  });

  it("takes no game before its registration has landed: a claim could only be on its predecessor's record", async () => {
    // A storm found it: a restarted process's first registration was slow, a claim on the old record reached the
    // process and got a game, then the registration landed and put the busy server back in the pool idle.
    const ds = dedicated();
    const body = JSON.stringify({ players: [PLAYER_A, PLAYER_B] });
    const early = await ds.handleCreateSession(body, {});
    expect(early.status).toBe(503);
    expect(logger.events()).toContain("create_session_refused");
    expect(ds.gamesRunning).toBe(0);
    await ds.register();
    expect((await ds.handleCreateSession(body, {})).status).toBe(200);
    // Legacy's registration never expires nor is renewed: its servers take a call whenever it comes.
    expect((await dedicated("legacy").handleCreateSession(body, {})).status).toBe(200);
  });

  it("legacy registers once and never beats: the harness is meant to find that flaw", async () => {
    const ds = dedicated("legacy");
    await ds.register();
    ds.keepAlive();
    expect(time.labels()).toEqual([]);
  });
});
