import { afterEach, describe, expect, it } from "vitest";
import { FixedText, Keys } from "../../src/fixed/index.ts";
import { parseInboxPayload } from "../../src/fixed/inbox.ts";
import { settle } from "../support/manual-time.ts";
import {
  createdReply,
  FixedWorld,
  matchedPair,
  MODE,
  PLAYER_A,
  PLAYER_B,
  PLAYER_C,
} from "./fixed-world.ts";

let world: FixedWorld;

afterEach(() => expect(world.escaped()).toEqual([]));

describe("garbage in Redis is skipped, logged and counted, never thrown", () => {
  it("junk queue entries are dropped by the tick and real players still match", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    world.exec("ZADD", Keys.queue(MODE), 0, "junk-1");
    const { a } = await matchedPair(world, i1);
    expect(a.socket.types()).toEqual(["queued", "start_loading"]);
    expect(world.queue()).toEqual([]);
    expect(i1.metrics.count("rejected_inputs_total")).toBeGreaterThan(0);
  });

  it("a player record holding garbage is repaired by the next enqueue and dropped from the queue", async () => {
    const { i1 } = await queuedThenSpoiled("dancing");
    await world.tick();
    expect(world.queue()).toEqual([]);
    const again = i1.connect();
    again.enqueue(PLAYER_A);
    await world.flush();
    expect(world.player(PLAYER_A)).toMatchObject({ state: "queued", conn: "i1/2" });
    expect(again.socket.types()).toEqual(["queued"]);
  });

  it("a player key of the wrong type does not abort the scripts", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    world.exec("SET", Keys.player(PLAYER_A), "garbage");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    world.exec("DEL", Keys.player(PLAYER_B));
    world.exec("SET", Keys.player(PLAYER_B), "garbage");
    world.exec("ZADD", Keys.queue(MODE), 0, PLAYER_B);
    await world.tick();
    expect(world.queue()).toEqual([PLAYER_A]);
  });

  it("a session hash with garbage: the ready repairs the member, the sweep drops the entry", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    world.exec("HDEL", Keys.session(session), "players", "status");
    a.ready(session);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.sessionLost]);
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    await world.advance(world.config.loadingTimeoutMs + world.config.matchTickMs);
    expect(world.zset(Keys.deadlines)).not.toContain(session);
    expect(i1.metrics.count("rejected_inputs_total")).toBeGreaterThan(0);
    void b;
  });

  it("a session key of the wrong type", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { a, session } = await matchedPair(world, i1);
    world.exec("DEL", Keys.session(session));
    world.exec("SET", Keys.session(session), "garbage");
    a.ready(session);
    await world.flush();
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    await world.advance(world.config.loadingTimeoutMs + world.config.matchTickMs);
    expect(world.zset(Keys.deadlines)).not.toContain(session);
  });

  it("a junk deadline entry is dropped by the sweep", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    world.exec("ZADD", Keys.deadlines, 0, "junk-7");
    await world.tick();
    expect(world.zset(Keys.deadlines)).toEqual([]);
    expect(i1.metrics.count("rejected_inputs_total")).toBe(1);
  });

  it("a junk idle server is skipped and a real one claimed", async () => {
    world = new FixedWorld();
    await world.registerServer();
    world.exec("HSET", Keys.server("junk-3"), "address", "", "status", "idle");
    world.exec("ZADD", Keys.idleServers, 0, "junk-3");
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    a.ready(session);
    b.ready(session);
    await world.flush();
    expect(a.socket.messages().at(-1)?.type).toBe("match_found");
    expect(world.zset(Keys.idleServers)).toEqual([]);
  });

  it("a script reply of the wrong shape is a counted skip", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const inner = i1.redis.runScript.bind(i1.redis);
    i1.redis.runScript = async (script, keys, args) =>
      script.name === "fixed:match" ? ["matched", "lots", "maybe"] : inner(script, keys, args);
    const a = i1.connect();
    a.enqueue(PLAYER_C);
    await world.tick();
    expect(i1.logger.events()).toContain("redis_reply_rejected");
    expect(i1.metrics.count("handler_errors_total")).toBe(0);
  });
});

/** A queued on its own connection, then its record's state set to `state` by a foreign writer. */
async function queuedThenSpoiled(state: string) {
  world = new FixedWorld();
  const i1 = await world.instance("i1");
  const a = i1.connect();
  a.enqueue(PLAYER_A);
  await world.flush();
  world.exec("HSET", Keys.player(PLAYER_A), "state", state);
  return { i1, a };
}

/** A and b matched into a loading session, then a's record's state set to `state` by a foreign writer. */
async function loadingThenSpoiled(state: string) {
  world = new FixedWorld();
  const i1 = await world.instance("i1");
  const pair = await matchedPair(world, i1);
  world.exec("HSET", Keys.player(PLAYER_A), "state", state);
  return { i1, ...pair };
}

describe("a corrupt player record: the player leaves from where the record reads, and its connection starts over", () => {
  it("the tick drops it from the queue and tells its connection, which it closes", async () => {
    const { a } = await queuedThenSpoiled("dancing");
    await world.tick();
    expect(world.queue()).toEqual([]);
    expect(world.player(PLAYER_A)).toBeNull();
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(a.socket.closed).toBe(true);
  });

  it("a ready from its connection cancels the session it names, re-queues the others, and closes it", async () => {
    const { i1, a, b, session } = await loadingThenSpoiled("dancing");
    a.ready(session);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(a.socket.closed).toBe(true);
    expect(world.session(session)?.status).toBe("cancelled");
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    expect(world.player(PLAYER_B)?.state).toBe("queued");
    expect(i1.logger.events()).toContain("ready_ignored");
  });

  it("a session that ends tells a member whose record is corrupt, which no transition reaches any more", async () => {
    const { a, b } = await loadingThenSpoiled("dancing");
    b.disconnect();
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(a.socket.closed).toBe(true);
    expect(world.player(PLAYER_A)).toBeNull();
  });

  it("an enqueue from another connection cancels the session the corrupt record names before queueing afresh", async () => {
    const { i1, a, b, session } = await loadingThenSpoiled("dancing");
    const again = i1.connect();
    again.enqueue(PLAYER_A);
    await world.flush();
    expect(world.session(session)?.status).toBe("cancelled");
    expect(world.player(PLAYER_A)).toMatchObject({ state: "queued", conn: "i1/3" });
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    expect(again.socket.types()).toEqual(["queued"]);
  });
});

describe("a plausible lie: a record that is well formed but contradicts another is as corrupt as garbage", () => {
  it("a queued player whose record says it is loading leaves the queue and its connection starts over", async () => {
    const { a } = await queuedThenSpoiled("loading");
    await world.tick();
    expect(world.queue()).toEqual([]);
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(a.socket.closed).toBe(true);
  });

  it("a leave of a player whose record says queued but names its session cancels that session, not only a queue entry", async () => {
    const { i1, a, b, session } = await loadingThenSpoiled("queued");
    a.disconnect();
    await world.flush();
    expect(world.session(session)?.status).toBe("cancelled");
    expect(world.player(PLAYER_A)).toBeNull();
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
  });

  it("an enqueue of a player whose record says it is in the game of a session still loading: that session is cancelled first", async () => {
    const { i1, a, b, session } = await loadingThenSpoiled("in_game");
    const again = i1.connect();
    again.enqueue(PLAYER_A);
    await world.flush();
    expect(world.session(session)?.status).toBe("cancelled");
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(again.socket.types()).toEqual(["queued"]);
    expect(world.queue()).toContain(PLAYER_A);
  });

  it("a ready from a member whose record says queued cancels the session and starts the member over", async () => {
    const { a, b, session } = await loadingThenSpoiled("queued");
    a.ready(session);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(world.session(session)?.status).toBe("cancelled");
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
  });

  it("a commit with a member whose record no longer says allocating tells nobody of the game: the session is cancelled", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    a.ready(session);
    await world.flush();
    const held = i1.redis.hold("commit");
    b.ready(session);
    // Not flush: it would wait for the held commit.
    for (let round = 0; round < 10; round++) await settle();
    world.exec("HSET", Keys.player(PLAYER_A), "state", "loading");
    held();
    await world.flush();
    expect(world.session(session)?.status).toBe("cancelled");
    expect(a.socket.errors()).toEqual([FixedText.stateLost]);
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    expect(b.socket.types()).not.toContain("match_found");
  });

  it("a session given a status no script writes: a member's ready re-queues it saying the session was lost, the sweep ends the session", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    world.exec("HSET", Keys.session(session), "status", "junk-1");
    a.ready(session);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.sessionLost]);
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    await world.advance(world.config.loadingTimeoutMs + world.config.matchTickMs);
    expect(world.session(session)?.status).toBe("expired");
    expect(b.socket.errors()).toEqual([FixedText.sessionLost]);
  });
});

describe("the inbox", () => {
  it("validates payloads", () => {
    expect(parseInboxPayload("{").ok).toBe(false);
    expect(parseInboxPayload(JSON.stringify({ conn: "i1/1", player: "bob", message: { type: "queued" } })).ok).toBe(false);
    expect(parseInboxPayload(JSON.stringify({ conn: "i1/1", player: PLAYER_A, message: { type: "boom" } })).ok).toBe(false);
    expect(parseInboxPayload(JSON.stringify({ conn: "i1/1", player: PLAYER_A, message: { type: "queued" }, close: 1 })).ok).toBe(false);
    expect(parseInboxPayload(JSON.stringify({ conn: "i1/1", player: PLAYER_A, message: { type: "queued" } }))).toEqual({
      ok: true,
      value: { conn: "i1/1", player: PLAYER_A, message: { type: "queued" }, close: false },
    });
  });

  it("drops garbage and messages for connections it does not hold", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    const publisher = world.redis.port("foreign");
    await publisher.call("PUBLISH", Keys.inbox("i1"), "{garbage");
    await publisher.call("PUBLISH", Keys.inbox("i1"), JSON.stringify({ conn: "i1/1", player: PLAYER_B, message: { type: "queued" } }));
    await publisher.call("PUBLISH", Keys.inbox("i1"), JSON.stringify({ conn: "i1/99", player: PLAYER_A, message: { type: "queued" } }));
    await world.flush();
    expect(a.socket.messages()).toEqual([{ type: "queued" }]);
    expect(i1.metrics.count("notifications_dropped_total")).toBe(2);
    expect(i1.metrics.count("rejected_inputs_total")).toBe(1);
  });
});
