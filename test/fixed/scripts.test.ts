import { beforeEach, describe, expect, it } from "vitest";
import { FixedText, Keys } from "../../src/fixed/index.ts";
import { ScriptRunner, type ScriptName } from "../../src/fixed/scripts.ts";
import type { RedisReply } from "../../src/ports/index.ts";
import { runIdIn } from "../../sim/redis/conformance/compare.ts";
import { ManualTime } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";
import { MODE, PLAYER_A, PLAYER_B, PLAYER_C } from "./fixed-world.ts";

/** The scripts alone: each transition accepted from the states it allows and refused from the others. */

const SID = "5e5e5e5e-0000-4000-8000-000000000001";
const SID2 = "5e5e5e5e-0000-4000-8000-000000000002";
const LOADING_MS = 10_000;
const ALLOC_MS = 5_000;
const GAME = "9e9e9e9e-0000-4000-8000-000000000009";

let time: ManualTime;
let redis: ReturnType<typeof createTestRedis>;
let runner: ScriptRunner;
let published: Array<{ channel: string; payload: Record<string, unknown> }>;

function run(name: ScriptName, ...args: Array<string | number>): Promise<RedisReply> {
  return runner.run(name, Keys.deadlines, args);
}

function hash(key: string): Record<string, string> | null {
  const value = redis.engine.inspect(key);
  return value?.type === "hash" ? value.value : null;
}

function zset(key: string): string[] {
  const value = redis.engine.inspect(key);
  return value?.type === "zset" ? value.value.map(([member]) => member) : [];
}

function messagesTo(player: string): unknown[] {
  return published.filter((p) => p.payload.player === player).map((p) => p.payload.message);
}

async function enqueue(player: string, conn = `i1/${player.slice(1, 2)}`, instance = "i1") {
  return run("enqueue", player, MODE, conn, instance);
}

async function loadingPair(): Promise<void> {
  await enqueue(PLAYER_A, "i1/a");
  await enqueue(PLAYER_B, "i1/b");
  expect(await run("match", MODE, 2, LOADING_MS, 100, SID)).toEqual(["matched", 0, 0, SID]);
}

async function allocatingPair(): Promise<string> {
  await loadingPair();
  expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["waiting"]);
  const reply = (await run("ready", PLAYER_B, SID, "i1/b", ALLOC_MS)) as string[];
  expect(reply.slice(0, 1)).toEqual(["allocate"]);
  return reply[1] as string;
}

/** Both players in the game session GAME on ds1 at ws://g. */
async function inGamePair(): Promise<void> {
  const token = await allocatingPair();
  await run("claim_server", SID, token, "attempt");
  expect(await run("commit", SID, token, "ds1", GAME, "ws://g")).toEqual(["matched", 2]);
}

beforeEach(async () => {
  time = new ManualTime();
  redis = createTestRedis(time);
  runner = new ScriptRunner(redis.port("script-test"));
  published = [];
  await redis.port("listener").subscribe(Keys.inbox("i1"), (channel, message) =>
    published.push({ channel, payload: JSON.parse(message) as Record<string, unknown> }),
  );
  await redis.port("listener").subscribe(Keys.inbox("i2"), (channel, message) =>
    published.push({ channel, payload: JSON.parse(message) as Record<string, unknown> }),
  );
  expect(await run("register_instance", "i1", 60_000, "1")).toEqual(["ok", 0]);
  expect(await run("register_instance", "i2", 60_000, "1")).toEqual(["ok", 0]);
  expect(await run("register_server", "ds1", "10.0.0.1:7000", 3_600_000, "1")).toEqual(["idle"]);
});

describe("enqueue", () => {
  it("creates a queued record, indexes it and publishes queued to the owner's inbox", async () => {
    expect(await enqueue(PLAYER_A, "i1/1")).toEqual(["queued", "new"]);
    expect(hash(Keys.player(PLAYER_A))).toMatchObject({ state: "queued", mode: MODE, conn: "i1/1", instance: "i1", session: "" });
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A]);
    expect(zset(Keys.conns("i1"))).toEqual([]);
    expect(redis.engine.inspect(Keys.conns("i1"))).toEqual({ type: "set", value: [PLAYER_A] });
    expect(published).toEqual([{ channel: Keys.inbox("i1"), payload: { conn: "i1/1", player: PLAYER_A, message: { type: "queued" } } }]);
  });

  it("answers already for the same connection and changes nothing", async () => {
    await enqueue(PLAYER_A, "i1/1");
    expect(await enqueue(PLAYER_A, "i1/1")).toEqual(["already", "queued"]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A]);
    expect(messagesTo(PLAYER_A)).toHaveLength(1);
  });

  it("refuses an instance that is not registered (reaped while paused)", async () => {
    expect(await enqueue(PLAYER_A, "i9/1", "i9")).toEqual(["fenced"]);
    expect(hash(Keys.player(PLAYER_A))).toBeNull();
  });

  it("takes over from another connection: the old one is told and closed, the player keeps its place in its session", async () => {
    await loadingPair();
    published.length = 0;
    expect(await run("enqueue", PLAYER_A, MODE, "i2/7", "i2")).toEqual(["resumed", "loading"]);
    expect(hash(Keys.player(PLAYER_A))).toMatchObject({ state: "loading", session: SID, conn: "i2/7", instance: "i2" });
    expect(redis.engine.inspect(Keys.conns("i1"))).toEqual({ type: "set", value: [PLAYER_B] });
    expect(redis.engine.inspect(Keys.conns("i2"))).toEqual({ type: "set", value: [PLAYER_A] });
    expect(hash(Keys.session(SID))?.status).toBe("loading");
    expect(published.map((p) => p.payload)).toEqual([
      { conn: "i1/a", player: PLAYER_A, message: { type: "error", message: FixedText.replaced }, close: true },
      { conn: "i2/7", player: PLAYER_A, message: { type: "start_loading", loading_session_id: SID } },
    ]);
    expect(messagesTo(PLAYER_B)).toEqual([]);
  });

  it("takes over a queued player, moving it to the mode the new connection asks for", async () => {
    await enqueue(PLAYER_A, "i1/a");
    published.length = 0;
    expect(await run("enqueue", PLAYER_A, "Duo_2v2", "i2/7", "i2")).toEqual(["resumed", "queued"]);
    expect(zset(Keys.queue(MODE))).toEqual([]);
    expect(zset(Keys.queue("Duo_2v2"))).toEqual([PLAYER_A]);
    expect(published.at(-1)?.payload).toEqual({ conn: "i2/7", player: PLAYER_A, message: { type: "queued" } });
  });

  it("takes over a loading player asking for another mode: its session goes on, and a re-queue lands in the mode it asked for", async () => {
    const token = await allocatingPair();
    expect(await run("enqueue", PLAYER_A, "Duo_2v2", "i2/7", "i2")).toEqual(["resumed", "allocating"]);
    expect(hash(Keys.session(SID))?.status).toBe("allocating");
    expect(await run("rollback", SID, token, FixedText.allocationFailed)).toEqual(["rolled_back", 2]);
    expect(zset(Keys.queue("Duo_2v2"))).toEqual([PLAYER_A]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_B]);
    expect(hash(Keys.player(PLAYER_A))).toMatchObject({ state: "queued", mode: "Duo_2v2", conn: "i2/7" });
  });

  it("tells a player in a game its match again, on whichever connection asks, and never queues it", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    await run("commit", SID, token, "ds1", GAME, "ws://x");
    published.length = 0;
    expect(await run("enqueue", PLAYER_A, MODE, "i2/7", "i2")).toEqual(["in_game"]);
    const found = { type: "match_found", session_id: GAME, server_address: "ws://x" };
    expect(published.map((p) => p.payload)).toEqual([{ conn: "i2/7", player: PLAYER_A, message: found }]);
    expect(hash(Keys.player(PLAYER_A))).toMatchObject({ state: "in_game", conn: "i2/7", instance: "i2" });
    expect(await enqueue(PLAYER_A, "i1/a")).toEqual(["in_game"]);
    expect(zset(Keys.queue(MODE))).toEqual([]);
  });

  it("treats a player whose game record has expired as a new request to play", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    await run("commit", SID, token, "ds1", GAME, "ws://x");
    redis.engine.execute("DEL", [Keys.session(SID)]);
    expect(await run("enqueue", PLAYER_A, MODE, "i2/7", "i2")).toEqual(["queued", "after_game"]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A]);
  });

  it("answers an enqueue on the connection of a loading record its session disagrees with: its game, or the queue", async () => {
    await inGamePair();
    redis.engine.execute("HSET", [Keys.player(PLAYER_A), "state", "loading"]);
    published.length = 0;
    expect(await enqueue(PLAYER_A, "i1/a")).toEqual(["in_game"]);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("in_game");
    expect(messagesTo(PLAYER_A)).toEqual([{ type: "match_found", session_id: GAME, server_address: "ws://g" }]);

    // Its game over, the record set back to loading: back to the queue, not "already".
    await run("release_server", "ds1", GAME);
    redis.engine.execute("HSET", [Keys.player(PLAYER_B), "state", "loading"]);
    published.length = 0;
    expect(await enqueue(PLAYER_B, "i1/b")).toEqual(["queued", "repaired"]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_B]);
    expect(messagesTo(PLAYER_B)).toEqual([{ type: "error", message: FixedText.sessionLost }]);
  });

  it("takes a request sent before its connection told it of a game that is now over as answered by that game", async () => {
    await inGamePair();
    await run("release_server", "ds1", GAME);
    published.length = 0;
    expect(await run("enqueue", PLAYER_A, MODE, "i1/a", "i1", "1")).toEqual(["already", "in_game"]);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("in_game");
    expect(zset(Keys.queue(MODE))).toEqual([]);
    expect(published).toEqual([]);
    // Sent after it: a new request to play.
    expect(await run("enqueue", PLAYER_A, MODE, "i1/a", "i1", "0")).toEqual(["queued", "after_game"]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A]);
  });
});

describe("match", () => {
  it("opens a session for the longest-waiting players and publishes start_loading", async () => {
    await enqueue(PLAYER_A, "i1/a");
    await enqueue(PLAYER_B, "i1/b");
    await enqueue(PLAYER_C, "i1/c");
    expect(await run("match", MODE, 2, LOADING_MS, 100, SID, SID2)).toEqual(["matched", 0, 0, SID]);
    expect(hash(Keys.session(SID))).toMatchObject({
      status: "loading",
      mode: MODE,
      players: `${PLAYER_A},${PLAYER_B}`,
      deadline: String(time.now() + LOADING_MS),
    });
    expect(redis.engine.inspect(Keys.deadlines)).toEqual({ type: "zset", value: [[SID, time.now() + LOADING_MS]] });
    expect(hash(Keys.player(PLAYER_A))).toMatchObject({ state: "loading", session: SID });
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_C]);
    expect(messagesTo(PLAYER_B)).toContainEqual({ type: "start_loading", loading_session_id: SID });
  });

  it("does nothing below the required count", async () => {
    await enqueue(PLAYER_A, "i1/a");
    expect(await run("match", MODE, 2, LOADING_MS, 100, SID)).toEqual(["matched", 0, 0]);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("queued");
  });

  it("drops queue entries that are not queued players of this mode", async () => {
    await enqueue(PLAYER_A, "i1/a");
    redis.engine.execute("ZADD", [Keys.queue(MODE), 0, "junk-1"]);
    expect(await run("match", MODE, 2, LOADING_MS, 100, SID)).toEqual(["matched", 1, 0]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A]);
  });

  it("leaves players of an instance whose presence lapsed in the queue", async () => {
    expect(await run("register_instance", "i2", 1_000, "0")).toEqual(["ok", 0]);
    await enqueue(PLAYER_A, "i1/a");
    await run("enqueue", PLAYER_B, MODE, "i2/b", "i2");
    await time.advance(2_000);
    expect(await run("match", MODE, 2, LOADING_MS, 100, SID)).toEqual(["matched", 0, 0]);
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A, PLAYER_B]);
  });

  it("says more when it ran out of session ids", async () => {
    for (const [player, conn] of [[PLAYER_A, "i1/a"], [PLAYER_B, "i1/b"], [PLAYER_C, "i1/c"], ["0e0e0e0e-0000-4000-8000-00000000000e", "i1/e"]] as const) {
      await enqueue(player, conn);
    }
    expect(await run("match", MODE, 2, LOADING_MS, 100, SID)).toEqual(["matched", 0, 1, SID]);
  });
});

describe("ready", () => {
  it("waits for every member, then moves the session to allocating with a fencing token", async () => {
    await loadingPair();
    expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["waiting"]);
    expect(await run("ready", PLAYER_B, SID, "i1/b", ALLOC_MS)).toEqual(["allocate", "1", MODE, PLAYER_A, PLAYER_B]);
    expect(hash(Keys.session(SID))).toMatchObject({ status: "allocating", token: "1", deadline: String(time.now() + ALLOC_MS) });
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("allocating");
    expect(redis.engine.inspect(Keys.deadlines)).toEqual({ type: "zset", value: [[SID, time.now() + ALLOC_MS]] });
  });

  it("refuses another connection, another session, and a ready past the deadline", async () => {
    await loadingPair();
    expect(await run("ready", PLAYER_A, SID, "i1/zz", ALLOC_MS)).toEqual(["ignored", "not_owner"]);
    expect(await run("ready", PLAYER_A, SID2, "i1/a", ALLOC_MS)).toEqual(["ignored", "other_session"]);
    await time.advance(LOADING_MS + 1);
    expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["ignored", "late"]);
    expect(hash(Keys.session(SID))?.["ready:" + PLAYER_A]).toBeUndefined();
  });

  it("hands allocation out again to a retried ready until a server is claimed", async () => {
    const token = await allocatingPair();
    expect(await run("ready", PLAYER_B, SID, "i1/b", ALLOC_MS)).toEqual(["allocate", token, MODE, PLAYER_A, PLAYER_B]);
    await run("claim_server", SID, token, "attempt");
    expect(await run("ready", PLAYER_B, SID, "i1/b", ALLOC_MS)).toEqual(["ignored", "allocating"]);
  });

  it("puts a record its ended session disagrees with right: its game told again, or back to the queue", async () => {
    await inGamePair();
    redis.engine.execute("HSET", [Keys.player(PLAYER_A), "state", "loading"]);
    published.length = 0;
    expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["ignored", "repaired"]);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("in_game");
    expect(messagesTo(PLAYER_A)).toEqual([{ type: "match_found", session_id: GAME, server_address: "ws://g" }]);

    redis.engine.execute("HSET", [Keys.session(SID), "status", "over"]);
    redis.engine.execute("HSET", [Keys.player(PLAYER_B), "state", "loading"]);
    published.length = 0;
    expect(await run("ready", PLAYER_B, SID, "i1/b", ALLOC_MS)).toEqual(["ignored", "repaired"]);
    expect(hash(Keys.player(PLAYER_B))?.state).toBe("queued");
    expect(messagesTo(PLAYER_B)).toEqual([{ type: "error", message: FixedText.sessionLost }]);
  });
});

describe("claim_server, commit, rollback", () => {
  it("claims the idle server, commits, and publishes match_found to every member", async () => {
    const token = await allocatingPair();
    expect(await run("claim_server", SID, token, "attempt")).toEqual(["claimed", "ds1", "10.0.0.1:7000", 0]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "claimed", session: SID });
    expect(zset(Keys.idleServers)).toEqual([]);
    expect(await run("commit", SID, token, "ds1", GAME, "ws://g")).toEqual(["matched", 2]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "busy", session: SID });
    expect(hash(Keys.session(SID))).toMatchObject({ status: "matched", game_session: GAME });
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("in_game");
    expect(zset(Keys.deadlines)).toEqual([]);
    for (const player of [PLAYER_A, PLAYER_B]) {
      expect(messagesTo(player).at(-1)).toEqual({
        type: "match_found",
        session_id: GAME,
        server_address: "ws://g",
      });
    }
    // A repeated commit (a lost reply) publishes nothing more.
    expect(await run("commit", SID, token, "ds1", GAME, "ws://g")).toEqual(["already"]);
    expect(messagesTo(PLAYER_A).filter((m) => (m as { type: string }).type === "match_found")).toHaveLength(1);
    expect(await run("rollback", SID, token, "x")).toEqual(["stale"]);
  });

  it("gives a retried claim the same server and another allocator nothing", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    expect(await run("claim_server", SID, token, "attempt")).toEqual(["claimed", "ds1", "10.0.0.1:7000", 0]);
    expect(await run("claim_server", SID, token, "other")).toEqual(["taken"]);
  });

  it("refuses a wrong token", async () => {
    const token = await allocatingPair();
    const wrong = String(Number(token) + 1);
    expect(await run("claim_server", SID, wrong, "attempt")).toEqual(["stale"]);
    await run("claim_server", SID, token, "attempt");
    expect(await run("commit", SID, wrong, "ds1", "g", "a")).toEqual(["stale"]);
    expect(await run("rollback", SID, wrong, "x")).toEqual(["stale"]);
  });

  it("refuses a session still loading", async () => {
    await loadingPair();
    expect(await run("claim_server", SID, "1", "attempt")).toEqual(["stale"]);
    expect(await run("rollback", SID, "1", "x")).toEqual(["stale"]);
  });

  it("answers none without an idle server, skipping listed servers that are not idle", async () => {
    redis.engine.execute("HSET", [Keys.server("junk"), "address", "", "status", "idle"]);
    redis.engine.execute("ZADD", [Keys.idleServers, 0, "junk"]);
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    await run("rollback", SID, token, "x");
    // ds1 is back in the pool, junk is gone from it.
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
  });

  it("rolls back once: the server is released and the players re-queued in their old order with the reason", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    expect(await run("rollback", SID, token, FixedText.noServer)).toEqual(["rolled_back", 2]);
    expect(await run("rollback", SID, token, FixedText.noServer)).toEqual(["stale"]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle", session: "" });
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
    expect(hash(Keys.session(SID))?.status).toBe("cancelled");
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A, PLAYER_B]);
    expect(messagesTo(PLAYER_A).at(-1)).toEqual({ type: "error", message: FixedText.noServer });
    expect(await run("commit", SID, token, "ds1", "g", "a")).toEqual(["stale"]);
  });

  it("claims nothing once the pool is empty", async () => {
    const token = await allocatingPair();
    redis.engine.execute("ZREM", [Keys.idleServers, "ds1"]);
    expect(await run("claim_server", SID, token, "attempt")).toEqual(["none", 0]);
  });
});

describe("leave", () => {
  it("removes a queued player", async () => {
    await enqueue(PLAYER_A, "i1/a");
    expect(await run("leave", PLAYER_A, "i1/a")).toEqual(["left", "queued"]);
    expect(hash(Keys.player(PLAYER_A))).toBeNull();
    expect(zset(Keys.queue(MODE))).toEqual([]);
    expect(redis.engine.inspect(Keys.conns("i1"))).toBeNull();
  });

  it("ignores a connection that does not own the record", async () => {
    await enqueue(PLAYER_A, "i1/a");
    expect(await run("leave", PLAYER_A, "i1/other")).toEqual(["ignored"]);
    expect(await run("leave", PLAYER_B, "i1/b")).toEqual(["ignored"]);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("queued");
  });

  it("cancels a loading session and re-queues the others", async () => {
    await loadingPair();
    expect(await run("leave", PLAYER_A, "i1/a")).toEqual(["left", "loading"]);
    expect(hash(Keys.session(SID))?.status).toBe("cancelled");
    expect(zset(Keys.deadlines)).toEqual([]);
    expect(hash(Keys.player(PLAYER_B))).toMatchObject({ state: "queued", session: "" });
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_B]);
    expect(messagesTo(PLAYER_B).at(-1)).toEqual({ type: "error", message: FixedText.peerDisconnected });
  });

  it("cancels an allocating session and releases its claimed server", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    expect(await run("leave", PLAYER_B, "i1/b")).toEqual(["left", "allocating"]);
    expect(hash(Keys.server("ds1"))?.status).toBe("idle");
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
    expect(await run("commit", SID, token, "ds1", "g", "a")).toEqual(["stale"]);
  });

  it("detaches a player in a game without touching the game, and a reconnect still learns its match", async () => {
    await inGamePair();
    expect(await run("leave", PLAYER_A, "i1/a")).toEqual(["left", "in_game"]);
    expect(hash(Keys.session(SID))?.status).toBe("matched");
    expect(hash(Keys.server("ds1"))?.status).toBe("busy");
    expect(hash(Keys.player(PLAYER_A))).toMatchObject({ state: "in_game", conn: "", instance: "" });
    expect(redis.engine.execute("PTTL", [Keys.player(PLAYER_A)])).toBeGreaterThan(0);
    expect(redis.engine.inspect(Keys.conns("i1"))).toEqual({ type: "set", value: [PLAYER_B] });
    // A later leave of the old connection changes nothing; a new connection is told its game again.
    expect(await run("leave", PLAYER_A, "i1/a")).toEqual(["ignored"]);
    published.length = 0;
    expect(await run("enqueue", PLAYER_A, MODE, "i2/3", "i2")).toEqual(["in_game"]);
    expect(published.at(-1)?.payload).toEqual({
      conn: "i2/3",
      player: PLAYER_A,
      message: { type: "match_found", session_id: GAME, server_address: "ws://g" },
    });
    expect(redis.engine.execute("PTTL", [Keys.player(PLAYER_A)])).toBe(-1);
  });
});

describe("resync", () => {
  it("tells the owning connection where its player stands: queued, loading, or in its game", async () => {
    const token = await allocatingPair();
    await enqueue(PLAYER_C, "i1/c");
    const told = async (player: string, conn: string, state: string) => {
      published.length = 0;
      expect(await run("resync", player, conn)).toEqual(["told", state]);
      return published.map((p) => p.payload);
    };
    expect(await told(PLAYER_C, "i1/c", "queued")).toEqual([{ conn: "i1/c", player: PLAYER_C, message: { type: "queued" } }]);
    expect(await told(PLAYER_A, "i1/a", "allocating")).toEqual([
      { conn: "i1/a", player: PLAYER_A, message: { type: "start_loading", loading_session_id: SID } },
    ]);
    await run("claim_server", SID, token, "attempt");
    await run("commit", SID, token, "ds1", GAME, "ws://g");
    expect(await told(PLAYER_B, "i1/b", "in_game")).toEqual([
      { conn: "i1/b", player: PLAYER_B, message: { type: "match_found", session_id: GAME, server_address: "ws://g" } },
    ]);
  });

  it("believes a loading record only as far as its session agrees: a game begun is told, a session gone re-queues", async () => {
    await inGamePair();
    // A foreign writer sets a player of the game back to loading, as a lost match_found would leave its client.
    redis.engine.execute("HSET", [Keys.player(PLAYER_A), "state", "allocating"]);
    published.length = 0;
    expect(await run("resync", PLAYER_A, "i1/a")).toEqual(["repaired", "in_game"]);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("in_game");
    expect(messagesTo(PLAYER_A)).toEqual([{ type: "match_found", session_id: GAME, server_address: "ws://g" }]);

    // A record naming a session that ended: nothing would ever move it.
    redis.engine.execute("HSET", [Keys.player(PLAYER_B), "state", "loading", "session", SID2]);
    published.length = 0;
    expect(await run("resync", PLAYER_B, "i1/b")).toEqual(["repaired", "queued"]);
    expect(hash(Keys.player(PLAYER_B))?.state).toBe("queued");
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_B]);
    expect(messagesTo(PLAYER_B)).toEqual([{ type: "error", message: FixedText.sessionLost }]);
  });

  it("says gone, and tells nobody, for a connection that does not own its player's record", async () => {
    await enqueue(PLAYER_A, "i1/a");
    published.length = 0;
    expect(await run("resync", PLAYER_A, "i1/zz")).toEqual(["gone"]);
    expect(await run("resync", PLAYER_B, "i1/b")).toEqual(["gone"]);
    expect(published).toEqual([]);
  });
});

describe("expire_due", () => {
  it("expires a loading session: ready members re-queued, the others removed, each told", async () => {
    await loadingPair();
    await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS);
    expect(await run("expire_due", 100)).toEqual(["expired", 0, 0, 0, 0]);
    await time.advance(LOADING_MS + 1);
    expect(await run("expire_due", 100)).toEqual(["expired", 1, 1, 1, 0]);
    expect(hash(Keys.session(SID))?.status).toBe("expired");
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("queued");
    expect(hash(Keys.player(PLAYER_B))).toBeNull();
    expect(zset(Keys.queue(MODE))).toEqual([PLAYER_A]);
    expect(messagesTo(PLAYER_A).at(-1)).toEqual({ type: "error", message: FixedText.timedOut });
    expect(messagesTo(PLAYER_B).at(-1)).toEqual({ type: "error", message: FixedText.loadingTimedOut });
  });

  it("leaves a session alone at its deadline's millisecond, where a ready still counts", async () => {
    await loadingPair();
    await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS);
    await time.advance(LOADING_MS);
    expect(await run("expire_due", 100)).toEqual(["expired", 0, 0, 0, 0]);
    expect((await run("ready", PLAYER_B, SID, "i1/b", ALLOC_MS) as string[])[0]).toBe("allocate");
    await time.advance(ALLOC_MS);
    expect(await run("expire_due", 100)).toEqual(["expired", 0, 0, 0, 0]);
    await time.advance(1);
    expect(await run("expire_due", 100)).toEqual(["expired", 1, 2, 0, 0]);
  });

  it("rolls back an allocating session whose allocator vanished", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    await time.advance(ALLOC_MS + 1);
    expect(await run("expire_due", 100)).toEqual(["expired", 1, 2, 0, 0]);
    expect(hash(Keys.server("ds1"))?.status).toBe("idle");
    expect(messagesTo(PLAYER_B).at(-1)).toEqual({ type: "error", message: FixedText.allocationFailed });
    expect(await run("commit", SID, token, "ds1", "g", "a")).toEqual(["stale"]);
  });

  it("drops due entries without a readable session", async () => {
    redis.engine.execute("ZADD", [Keys.deadlines, 0, "junk"]);
    expect(await run("expire_due", 100)).toEqual(["expired", 0, 0, 0, 1]);
    expect(zset(Keys.deadlines)).toEqual([]);
  });
});

describe("presence", () => {
  it("renews a live instance and fences a reaped one", async () => {
    expect(await run("register_instance", "i1", 1_000, "0")).toEqual(["ok", 0]);
    await enqueue(PLAYER_A, "i1/a");
    await time.advance(1_001);
    expect(await run("reap_instances", 100, "i2")).toEqual(["reaped", "i1"]);
    expect(hash(Keys.player(PLAYER_A))).toBeNull();
    expect(zset(Keys.queue(MODE))).toEqual([]);
    expect(await run("register_instance", "i1", 1_000, "0")).toEqual(["fenced"]);
    expect(await run("register_instance", "i1", 1_000, "1")).toEqual(["ok", 0]);
  });

  it("does not reap the caller", async () => {
    expect(await run("register_instance", "i1", 1_000, "0")).toEqual(["ok", 0]);
    await time.advance(1_001);
    expect(await run("reap_instances", 100, "i1")).toEqual(["reaped"]);
  });

  it("reaping cancels the dead instance's sessions and re-queues live members elsewhere", async () => {
    await run("register_instance", "i1", 1_000, "0");
    await enqueue(PLAYER_A, "i1/a");
    await run("enqueue", PLAYER_B, MODE, "i2/b", "i2");
    await run("match", MODE, 2, LOADING_MS, 100, SID);
    await time.advance(1_001);
    expect(await run("reap_instances", 100, "i2")).toEqual(["reaped", "i1"]);
    expect(hash(Keys.session(SID))?.status).toBe("cancelled");
    expect(hash(Keys.player(PLAYER_B))?.state).toBe("queued");
    expect(messagesTo(PLAYER_B).at(-1)).toEqual({ type: "error", message: FixedText.peerDisconnected });
  });

  it("a fresh registration purges a previous incarnation's records", async () => {
    await enqueue(PLAYER_A, "i1/a");
    expect(await run("register_instance", "i1", 60_000, "1")).toEqual(["ok", 1]);
    expect(hash(Keys.player(PLAYER_A))).toBeNull();
  });
});

describe("register_server", () => {
  it("ends the allocation that held the server claimed: its create call went to the previous process", async () => {
    const token = await allocatingPair();
    await run("claim_server", SID, token, "attempt");
    expect(await run("register_server", "ds1", "10.0.0.1:7000", 3_600_000, "1")).toEqual(["idle", "ended"]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle", session: "" });
    expect(zset(Keys.idleServers)).toEqual(["ds1"]);
    expect(hash(Keys.session(SID))).toMatchObject({ status: "cancelled" });
    // The allocation's late commit finds it over, and announces nothing.
    expect(await run("commit", SID, token, "ds1", GAME, "ws://g")).toEqual(["stale"]);
    expect(hash(Keys.server("ds1"))).toMatchObject({ status: "idle" });
  });

  it("replaces a key of the wrong type", async () => {
    redis.engine.execute("SET", [Keys.server("ds2"), "garbage"]);
    expect(await run("register_server", "ds2", "10.0.0.2:7000", 3_600_000, "1")).toEqual(["idle"]);
    expect(hash(Keys.server("ds2"))).toMatchObject({ status: "idle", address: "10.0.0.2:7000" });
  });
});

describe("the epoch every script checks first", () => {
  const runId = (): string => runIdIn(redis.engine.execute("INFO", ["server"])) as string;
  const slotKeys = (): string[] => redis.engine.keys().filter((key) => key.startsWith("{mm}:"));

  it("was adopted by the first script: the run_id of the Redis that holds the slot", () => {
    expect(redis.engine.inspect(Keys.epoch)).toEqual({ type: "string", value: runId() });
  });

  it("another run_id (Redis restarted from older data): every key of the slot goes, and the script answers as on an empty Redis", async () => {
    await inGamePair();
    await enqueue(PLAYER_C, "i1/c");
    redis.engine.execute("SET", ["other:app", "kept"]);
    // Every key as it was, under a new process: a restart from a snapshot taken just now loses nothing, yet the
    // scripts cannot tell it from one that lost seconds of writes.
    redis.engine.restart();
    expect(slotKeys().length).toBeGreaterThan(5);
    expect(await run("register_instance", "i1", 60_000, "0")).toEqual(["fenced"]);
    expect(slotKeys()).toEqual([Keys.epoch]);
    expect(redis.engine.inspect(Keys.epoch)).toEqual({ type: "string", value: runId() });
    expect(redis.engine.inspect("other:app")).toEqual({ type: "string", value: "kept" });
    // The rest of the recovery follows from an empty slot: every instance and dedicated server is fenced.
    expect(await run("enqueue", PLAYER_A, MODE, "i2/a", "i2")).toEqual(["fenced"]);
    expect(await run("register_server", "ds1", "10.0.0.1:7000", 3_600_000, "0")).toEqual(["fenced"]);
    expect(await run("release_server", "ds1", GAME)).toEqual(["stale"]);
    expect(published.filter((p) => p.payload.player === PLAYER_C)).toHaveLength(1);
  });

  it("is wiped past one DEL's slice of keys", async () => {
    for (let i = 0; i < 2_500; i++) redis.engine.execute("SET", [`{mm}:filler:${i}`, "x"]);
    redis.engine.restart();
    expect(await run("stats", "i1")).toEqual(["stats", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(slotKeys()).toEqual([Keys.epoch]);
  });

  it("the same run_id: nothing is wiped", async () => {
    await loadingPair();
    const before = slotKeys();
    expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["waiting"]);
    expect(slotKeys()).toEqual(before);
    expect(hash(Keys.player(PLAYER_A))?.state).toBe("loading");
  });

  it("missing (a Redis new, flushed, or holding data from before epochs): adopted, nothing wiped", async () => {
    await loadingPair();
    redis.engine.execute("DEL", [Keys.epoch]);
    const before = slotKeys().filter((key) => key !== Keys.epoch);
    expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["waiting"]);
    expect(slotKeys()).toEqual([...before, Keys.epoch].sort());
    expect(redis.engine.inspect(Keys.epoch)).toEqual({ type: "string", value: runId() });
  });

  it("of the wrong type (a foreign writer's): taken for another process's, the slot wiped rather than every script failing", async () => {
    await loadingPair();
    redis.engine.execute("DEL", [Keys.epoch]);
    redis.engine.execute("SADD", [Keys.epoch, "junk"]);
    expect(await run("ready", PLAYER_A, SID, "i1/a", ALLOC_MS)).toEqual(["ignored", "not_owner"]);
    expect(slotKeys()).toEqual([Keys.epoch]);
    expect(redis.engine.inspect(Keys.epoch)).toEqual({ type: "string", value: runId() });
  });
});
