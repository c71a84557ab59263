import { afterEach, describe, expect, it } from "vitest";
import { finishFixedGame, FixedText, Keys, renewFixedDedicatedServer } from "../../src/fixed/index.ts";
import {
  createdReply,
  FixedWorld,
  GAME_SESSION,
  matchedPair,
  MODE,
  PLAYER_A,
  PLAYER_B,
  PLAYER_C,
  SERVER_ADDRESS,
} from "./fixed-world.ts";
import { settle } from "../support/manual-time.ts";

let world: FixedWorld;

afterEach(() => {
  // Nothing thrown may ever reach the supervisor.
  expect(world.escaped()).toEqual([]);
});

async function bothReady(a: { ready(s: string): void }, b: { ready(s: string): void }, session: string) {
  a.ready(session);
  b.ready(session);
  await world.flush();
}

describe("the happy path", () => {
  it("queues, matches, loads, allocates with an idempotency key and sends match_found once", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    expect(a.socket.types()).toEqual(["queued", "start_loading"]);
    expect(world.player(PLAYER_A)).toMatchObject({ state: "loading", session });
    await bothReady(a, b, session);

    expect(world.http.calls).toHaveLength(1);
    const call = world.http.calls[0]!;
    expect(call.url).toBe(`http://${SERVER_ADDRESS}/session/create`);
    const token = world.session(session)?.token;
    expect(JSON.parse(call.body)).toEqual({ players: [PLAYER_A, PLAYER_B], idempotency_key: `${session}:${token}` });
    expect(call.options.headers?.["Idempotency-Key"]).toBe(`${session}:${token}`);
    expect(call.options.timeoutMs).toBe(world.config.allocationRequestTimeoutMs);

    const found = { type: "match_found", session_id: GAME_SESSION, server_address: `ws://${SERVER_ADDRESS}/game?session_id=${GAME_SESSION}` };
    expect(a.socket.messages().at(-1)).toEqual(found);
    expect(b.socket.messages().at(-1)).toEqual(found);
    expect(world.hash(Keys.server("ds1"))).toMatchObject({ status: "busy", session });
    expect(world.player(PLAYER_B)?.state).toBe("in_game");
    expect(i1.metrics.count("matches_total")).toBe(1);

    // Later ticks and sweeps change nothing and tell nobody anything more.
    await world.advance(30_000);
    expect(a.socket.messages().filter((m) => m.type === "match_found")).toHaveLength(1);
    expect(world.session(session)?.status).toBe("matched");
  });

  it("works across instances: each player is told through its own instance's inbox", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    const i2 = await world.instance("i2");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1, i2);
    expect(b.socket.types()).toEqual(["queued", "start_loading"]);
    await bothReady(a, b, session);
    expect(a.socket.messages().at(-1)?.type).toBe("match_found");
    expect(b.socket.messages().at(-1)?.type).toBe("match_found");
  });
});

describe("cancellation", () => {
  it("a disconnect during loading cancels the session and re-queues the other player", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    a.disconnect();
    await world.flush();
    expect(world.session(session)?.status).toBe("cancelled");
    expect(world.player(PLAYER_A)).toBeNull();
    expect(world.player(PLAYER_B)?.state).toBe("queued");
    expect(world.queue()).toEqual([PLAYER_B]);
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    // B's late ready changes nothing.
    b.ready(session);
    await world.flush();
    expect(world.http.calls).toHaveLength(0);
  });

  it("a disconnect during allocation: the commit is stale, the server released, no match_found", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    world.http.reply(() => {
      a.disconnect();
      return createdReply();
    });
    await bothReady(a, b, session);
    expect(world.http.calls).toHaveLength(1);
    expect(world.session(session)?.status).toBe("cancelled");
    expect(world.hash(Keys.server("ds1"))?.status).toBe("idle");
    expect(world.zset(Keys.idleServers)).toEqual(["ds1"]);
    expect(b.socket.types()).not.toContain("match_found");
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    expect(world.player(PLAYER_B)?.state).toBe("queued");
    expect(i1.logger.events()).toContain("commit_refused");
    expect(i1.metrics.count("matches_total")).toBe(0);
  });
});

describe("expiry", () => {
  it("re-queues the member who sent ready and removes the one who never did", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    a.ready(session);
    await world.flush();
    await world.advance(world.config.loadingTimeoutMs + world.config.matchTickMs);
    expect(world.session(session)?.status).toBe("expired");
    expect(a.socket.errors()).toEqual([FixedText.timedOut]);
    expect(b.socket.errors()).toEqual([FixedText.loadingTimedOut]);
    expect(world.player(PLAYER_B)).toBeNull();
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    expect(world.queue()).toEqual([PLAYER_A]);
    expect(i1.metrics.count("sessions_expired_total")).toBe(1);
    // The removed player may enqueue again on the same connection.
    b.enqueue(PLAYER_B);
    await world.flush();
    expect(world.player(PLAYER_B)?.state).toBe("queued");
  });

  it("uses Redis time: an instance clock far ahead cannot expire a session early", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { session } = await matchedPair(world, i1);
    await world.advance(world.config.loadingTimeoutMs - 2_000);
    expect(world.session(session)?.status).toBe("loading");
  });
});

describe("allocation failures roll back exactly once", () => {
  async function failingAllocation(reply: Parameters<FixedWorld["http"]["reply"]>[0] | null, register = true) {
    world = new FixedWorld();
    if (register) await world.registerServer();
    const i1 = await world.instance("i1");
    if (reply !== null) world.http.reply(reply);
    const { a, b, session } = await matchedPair(world, i1);
    await bothReady(a, b, session);
    return { i1, a, b, session };
  }

  /** `released`: idle and back in the pool; `parked`: idle, out of the pool until its heartbeat; `none`: never claimed. */
  function expectRolledBack(
    { i1, a, b, session }: Awaited<ReturnType<typeof failingAllocation>>,
    text: string,
    server: "released" | "parked" | "none" = "released",
  ) {
    expect(world.session(session)?.status).toBe("cancelled");
    for (const client of [a, b]) {
      expect(client.socket.errors()).toEqual([text]);
      expect(client.socket.types()).not.toContain("match_found");
    }
    expect(world.queue()).toEqual([PLAYER_A, PLAYER_B]);
    expect(i1.metrics.count("allocation_failures_total")).toBe(1);
    if (server !== "none") {
      expect(world.hash(Keys.server("ds1"))?.status).toBe("idle");
      expect(world.zset(Keys.idleServers)).toEqual(server === "released" ? ["ds1"] : []);
    }
    expect(world.zset(Keys.deadlines)).toEqual([]);
  }

  it("no idle server", async () => {
    const run = await failingAllocation(null, false);
    expectRolledBack(run, FixedText.noServer, "none");
    expect(world.http.calls).toHaveLength(0);
  });

  it("a 5xx reply", async () => {
    expectRolledBack(await failingAllocation({ status: 503, body: "busy" }), FixedText.allocationFailed);
  });

  it("a malformed 2xx reply", async () => {
    expectRolledBack(
      await failingAllocation({ status: 200, body: JSON.stringify({ server_address: 42, session_id: "nope" }) }),
      FixedText.allocationFailed,
    );
  });

  it("a reply that is not JSON", async () => {
    expectRolledBack(await failingAllocation({ status: 201, body: "{oops" }), FixedText.allocationFailed);
  });

  it("an unreachable server, which stays out of the pool until its heartbeat says it is alive", async () => {
    expectRolledBack(await failingAllocation(new Error("ECONNREFUSED")), FixedText.allocationFailed, "parked");
    expect(await renewFixedDedicatedServer(world.redis.port("dedicated"), "ds1", SERVER_ADDRESS, 15_000)).toBe(true);
    expect(world.zset(Keys.idleServers)).toEqual(["ds1"]);
  });

  it("a timeout (the port rejects after the request timeout)", async () => {
    expectRolledBack(await failingAllocation(new Error("timeout after 2000 ms")), FixedText.allocationFailed, "parked");
  });

  it("the rolled-back players are matched again and allocated once a server answers", async () => {
    const run = await failingAllocation({ status: 500, body: "" });
    world.http.reply(createdReply());
    await world.tick();
    const session = (run.a.socket.messages().filter((m) => m.type === "start_loading").at(-1) as { loading_session_id: string })
      .loading_session_id;
    expect(session).not.toBe(run.session);
    await bothReady(run.a, run.b, session);
    expect(run.a.socket.messages().at(-1)?.type).toBe("match_found");
    expect(world.http.calls).toHaveLength(2);
  });

  it("a commit whose reply is lost is retried and counted as one match", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    i1.redis.fail("commit", "after");
    await bothReady(a, b, session);
    expect(a.socket.messages().filter((m) => m.type === "match_found")).toHaveLength(1);
    expect(world.session(session)?.status).toBe("matched");
    expect(i1.metrics.count("matches_total")).toBe(1);
    expect(i1.metrics.count("allocation_failures_total")).toBe(0);
  });

  it("an allocator that never finishes is rolled back by the sweep at the allocation deadline", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    // Every Redis call of the claim fails: the allocator's own rollback fails too.
    i1.redis.fail("claim_server", "before", 3);
    i1.redis.fail("rollback", "before", 3);
    await bothReady(a, b, session);
    expect(world.session(session)?.status).toBe("allocating");
    await world.advance(world.config.allocationTimeoutMs + world.config.matchTickMs);
    expect(world.session(session)?.status).toBe("expired");
    expect(a.socket.errors()).toEqual([FixedText.allocationFailed]);
    // Back in the queue, then matched again by a later tick.
    expect(world.player(PLAYER_A)?.session).not.toBe(session);
    expect(world.player(PLAYER_B)?.session).not.toBe(session);
  });
});

describe("a ready whose reply is lost", () => {
  it("is retried and still allocates", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    a.ready(session);
    await world.flush();
    i1.redis.fail("ready", "after");
    b.ready(session);
    await world.flush();
    expect(b.socket.messages().at(-1)?.type).toBe("match_found");
  });

  it("a ready that keeps failing is logged and counted, not answered; the sweep ends the session later", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const { a, b, session } = await matchedPair(world, i1);
    i1.redis.fail("ready", "before", 3);
    a.ready(session);
    await world.flush();
    expect(a.socket.errors()).toEqual([]);
    expect(i1.metrics.count("handler_errors_total")).toBe(1);
    await world.advance(world.config.loadingTimeoutMs + world.config.matchTickMs);
    expect(a.socket.errors()).toEqual([FixedText.loadingTimedOut]);
    expect(b.socket.errors()).toEqual([FixedText.loadingTimedOut]);
  });
});

describe("instances", () => {
  it("reaps a dead instance: its players leave, the sessions they were in are cancelled", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const i2 = await world.instance("i2");
    const { b, session } = await matchedPair(world, i1, i2);
    await i1.server.stop(); // i1 stops renewing its presence, as a crashed process would
    await world.advance(world.config.instanceTtlMs + world.config.matchTickMs * 2);
    expect(world.zset(Keys.instances)).toEqual(["i2"]);
    expect(world.player(PLAYER_A)).toBeNull();
    expect(world.session(session)?.status).toBe("cancelled");
    expect(b.socket.errors()).toEqual([FixedText.peerDisconnected]);
    expect(i2.logger.events()).toContain("instances_reaped");
  });

  it("a fenced instance closes every connection and registers afresh", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    // Another instance reaped i1 while it was paused.
    world.exec("ZADD", Keys.instances, 0, "i1");
    const i2 = await world.instance("i2");
    await world.advance(world.config.matchTickMs);
    expect(world.player(PLAYER_A)).toBeNull();
    expect(world.zset(Keys.instances)).toContain("i2");
    await world.advance(world.config.presenceIntervalMs);
    expect(a.socket.closed).toBe(true);
    expect(i1.logger.events()).toContain("instance_fenced");
    expect(world.zset(Keys.instances).sort()).toEqual(["i1", "i2"]);
    // New connections work again.
    const c = i1.connect();
    c.enqueue(PLAYER_C);
    await world.flush();
    expect(c.socket.types()).toEqual(["queued"]);
    void i2;
  });

  it("refuses enqueues until the instance is registered", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1", false);
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.internal]);
    expect(a.socket.closed).toBe(true);
    expect(world.player(PLAYER_A)).toBeNull();
  });
});

describe("takeover", () => {
  it("a reconnect on another instance replaces the old connection, which is told and closed; the session goes on", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    const i2 = await world.instance("i2");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    const again = i2.connect();
    again.enqueue(PLAYER_A);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.replaced]);
    expect(a.socket.closed).toBe(true);
    expect(again.socket.messages()).toEqual([{ type: "start_loading", loading_session_id: session }]);
    expect(world.player(PLAYER_A)).toMatchObject({ state: "loading", session, instance: "i2" });
    expect(world.session(session)?.status).toBe("loading");
    expect(b.socket.errors()).toEqual([]);
    // The old connection's close (a leave) does not touch the record the new connection owns.
    await world.flush();
    expect(world.player(PLAYER_A)).toMatchObject({ state: "loading", instance: "i2" });
    // The session completes through the new connection.
    await bothReady(again, b, session);
    expect(again.socket.messages().at(-1)?.type).toBe("match_found");
    expect(b.socket.messages().at(-1)?.type).toBe("match_found");
  });

  it("a player in a game who connects again is told its match again, on the new connection", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    const i2 = await world.instance("i2");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    await bothReady(a, b, session);
    const found = a.socket.messages().at(-1);
    expect(found?.type).toBe("match_found");
    const again = i2.connect();
    again.enqueue(PLAYER_A);
    await world.flush();
    expect(again.socket.messages()).toEqual([found]);
    expect(again.socket.errors()).toEqual([]);
    expect(a.socket.closed).toBe(false);
    expect(world.player(PLAYER_A)).toMatchObject({ state: "in_game", instance: "i2" });
    expect(world.queue()).toEqual([]);
  });

  it("an enqueue sent twice, the second held up until the game the first was told of ended, is no new request", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    await bothReady(a, b, session);
    const found = a.socket.messages().at(-1);
    a.disconnect();
    await world.flush();
    const again = i1.connect();
    const release = i1.redis.hold("enqueue", 1);
    again.enqueue(PLAYER_A);
    again.enqueue(PLAYER_A);
    // Not flush: it would wait for the held copy.
    for (let round = 0; round < 10; round++) await settle();
    expect(again.socket.messages()).toEqual([found]);
    // The game ends while the copy is on its way to Redis.
    expect(await finishFixedGame(world.redis.port("dedicated"), "ds1", GAME_SESSION)).toBe("released");
    release();
    await world.flush();
    expect(world.queue()).toEqual([]);
    expect(world.player(PLAYER_A)?.state).toBe("in_game");
    expect(again.socket.messages().filter((message) => message.type !== "error")).toEqual([found]);
  });
});

describe("connection lifecycle", () => {
  it("a close while the enqueue is in flight leaves nothing behind", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    a.disconnect();
    await world.flush();
    expect(world.player(PLAYER_A)).toBeNull();
    expect(world.queue()).toEqual([]);
  });

  it("a heartbeat timeout leaves", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    await world.advance(world.config.clientTimeoutMs + world.config.heartbeatIntervalMs);
    expect(a.socket.closed).toBe(true);
    expect(world.player(PLAYER_A)).toBeNull();
  });

  it("a leave that cannot reach Redis is retried with the presence renewal", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    i1.redis.fail("leave", "before", 3);
    a.disconnect();
    await world.flush();
    expect(world.player(PLAYER_A)).not.toBeNull();
    await world.advance(world.config.presenceIntervalMs);
    expect(world.player(PLAYER_A)).toBeNull();
    expect(i1.metrics.count("handler_errors_total")).toBe(1);
  });

  it("an enqueue that keeps failing gets an internal error and a close", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    i1.redis.fail("enqueue", "before", 3);
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.internal]);
    expect(a.socket.closed).toBe(true);
    expect(world.player(PLAYER_A)).toBeNull();
    expect(i1.metrics.count("handler_errors_total")).toBe(1);
  });

  it("an enqueue whose replies are all lost after its outcome reached the client keeps the connection, and says nothing against it", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    i1.redis.fail("enqueue", "after", 3);
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(a.socket.messages()).toEqual([{ type: "queued" }]);
    expect(a.socket.closed).toBe(false);
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    expect(i1.logger.events()).toContain("enqueue_failed_after_answer");
  });

  it("a resync that cannot reach Redis is run again with the presence renewal", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    // Whatever was published while the subscription was down is lost; the resync that would tell it again fails.
    i1.redis.fail("resync", "before", 3);
    i1.redis.resubscribed();
    await world.flush();
    expect(a.socket.messages()).toEqual([{ type: "queued" }]);
    await world.advance(world.config.presenceIntervalMs);
    expect(a.socket.messages()).toEqual([{ type: "queued" }, { type: "queued" }]);
    expect(i1.logger.events()).toContain("resync_retried");
  });

  it("an enqueue whose reply was lost once is retried without a spurious error", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    i1.redis.fail("enqueue", "after", 1);
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(a.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.player(PLAYER_A)?.state).toBe("queued");
  });

  it("stop cancels the periodic timers", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    expect(world.time.labels()).toEqual(expect.arrayContaining([`tick:${MODE}`, "sweep", "presence"]));
    await i1.server.stop();
    expect(world.time.labels()).toEqual([]);
    void PLAYER_C;
  });
});
