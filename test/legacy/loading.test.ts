import { describe, expect, it } from "vitest";
import { ErrorText } from "../../src/protocol/index.ts";
import {
  createSessionReply,
  enqueue,
  LegacyWorld,
  matchTwo,
  MODE,
  PLAYER_A,
  PLAYER_B,
  PLAYER_C,
  PLAYER_D,
  QUEUE,
  sessionIdOf,
  type Client,
} from "./legacy-world.ts";

const GAME_SESSION = "9e9e9e9e-0000-4000-8000-000000000001";

function ready(client: Client, sessionId: string): void {
  client.send({ type: "loading_complete", loading_session_id: sessionId });
}

async function loadingPair(world: LegacyWorld) {
  const instance = await world.instance("i1");
  const a = instance.connect();
  const b = instance.connect();
  const sessionId = await matchTwo(world, a, b);
  return { instance, a, b, sessionId };
}

describe("legacy HandleLoadingComplete", () => {
  it("waits for everyone, then allocates the idle server and sends match_found to each", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    const { a, b, sessionId } = await loadingPair(world);
    ready(a, sessionId);
    await world.flush();
    expect(world.hash(`loading:${sessionId}`)?.[PLAYER_A]).toBe("ready");
    expect(world.logger.events()).toContain("loading_complete_waiting");
    expect(world.http.calls).toEqual([]);

    world.http.reply(createSessionReply(GAME_SESSION, "10.0.0.1:7000"));
    ready(b, sessionId);
    await world.flush();
    expect(world.http.calls).toHaveLength(1);
    expect(world.http.calls[0]?.url).toBe("http://10.0.0.1:7000/session/create");
    expect(JSON.parse(world.http.calls[0]?.body ?? "").players.sort()).toEqual([PLAYER_A, PLAYER_B]);
    expect(world.http.calls[0]?.options.timeoutMs).toBe(world.config.allocationRequestTimeoutMs);
    const found = {
      type: "match_found",
      session_id: GAME_SESSION,
      server_address: `ws://10.0.0.1:7000/game?session_id=${GAME_SESSION}`,
    };
    expect(a.socket.last()).toEqual(found);
    expect(b.socket.last()).toEqual(found);
    expect(world.hash(`loading:${sessionId}`)).toBeNull();
    expect(world.metrics.count("matches_total")).toBe(1);
  });

  it("runs the allocation after releasing the session lock (seed defect 1)", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    const { a, b, sessionId } = await loadingPair(world);
    let lockDuringPost: unknown = "not called";
    world.http.reply(() => {
      lockDuringPost = world.redis.engine.inspect(`lock:loading:${sessionId}`);
      return createSessionReply(GAME_SESSION, "10.0.0.1:7000");
    });
    ready(a, sessionId);
    await world.flush();
    ready(b, sessionId);
    await world.flush();
    expect(lockDuringPost).toBeNull();
    expect(a.socket.last()?.type).toBe("match_found");
  });

  it("drops a ready signal when the session lock is held elsewhere (seed defect 2)", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    const { a, b, sessionId } = await loadingPair(world);
    world.exec("SET", `lock:loading:${sessionId}`, "another-instance", "PX", 1_000);
    ready(a, sessionId);
    await world.flush();
    expect(world.logger.events()).toContain("loading_complete_lock_busy");
    expect(world.hash(`loading:${sessionId}`)?.[PLAYER_A]).toBe("loading");
    // Once the lock is gone, B's ready is not enough: A's was lost and is never retried.
    await world.advance(2_000, a, b);
    ready(b, sessionId);
    await world.flush();
    expect(world.hash(`loading:${sessionId}`)?.[PLAYER_A]).toBe("loading");
    expect(world.hash(`loading:${sessionId}`)?.[PLAYER_B]).toBe("ready");
    expect(world.http.calls).toEqual([]);
  });

  it("loses one of two simultaneous ready signals of one session to the lock", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    const { a, b, sessionId } = await loadingPair(world);
    ready(a, sessionId);
    ready(b, sessionId);
    await world.flush();
    const fields = world.hash(`loading:${sessionId}`);
    expect([fields?.[PLAYER_A], fields?.[PLAYER_B]].sort()).toEqual(["loading", "ready"]);
    expect(world.logger.events()).toContain("loading_complete_lock_busy");
    expect(world.http.calls).toEqual([]);
  });

  it("lets a player who is not a member add itself to the session", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const { sessionId } = await loadingPairOn(world, instance);
    const stranger = instance.connect();
    enqueue(stranger, PLAYER_C);
    await world.flush();
    ready(stranger, sessionId);
    await world.flush();
    expect(world.hash(`loading:${sessionId}`)?.[PLAYER_C]).toBe("ready");
  });

  it("ignores a ready for a session that no longer exists", async () => {
    const world = new LegacyWorld();
    const { a, sessionId } = await loadingPair(world);
    world.exec("DEL", `loading:${sessionId}`);
    ready(a, sessionId);
    await world.flush();
    expect(world.redis.engine.keys()).toEqual([]);
    expect(world.supervisor.escaped).toEqual([]);
  });

  const failures: Array<[string, (world: LegacyWorld) => Promise<void>, string]> = [
    ["no registered server", async () => {}, "no_idle_server"],
    ["only busy or unparseable servers", async (world) => {
      world.exec("SET", "dedicated_server:busy", JSON.stringify({ address: "10.0.0.2:7000", status: "busy" }));
      world.exec("SET", "dedicated_server:junk", "{oops");
    }, "no_idle_server"],
    ["an HTTP 500", async (world) => {
      await world.registerServer("ds1", "10.0.0.1:7000");
      world.http.reply({ status: 500, body: "boom" });
    }, "http_status"],
    ["a malformed reply", async (world) => {
      await world.registerServer("ds1", "10.0.0.1:7000");
      world.http.reply({ status: 200, body: JSON.stringify({ server_address: "x", session_id: "nope" }) });
    }, "bad_reply"],
    ["an unreachable server", async (world) => {
      await world.registerServer("ds1", "10.0.0.1:7000");
      world.http.reply(new Error("ECONNREFUSED"));
    }, "unreachable"],
  ];

  for (const [name, arrange, reason] of failures) {
    it(`re-queues silently on ${name}`, async () => {
      const world = new LegacyWorld();
      const { a, b, sessionId } = await loadingPair(world);
      await arrange(world);
      ready(a, sessionId);
      await world.flush();
      ready(b, sessionId);
      await world.flush();
      expect(world.queue()).toEqual([PLAYER_A, PLAYER_B]);
      expect(world.hash(`loading:${sessionId}`)).toBeNull();
      expect(a.socket.last()?.type).toBe("start_loading");
      expect(b.socket.last()?.type).toBe("start_loading");
      expect(world.logger.entries.find((e) => e.event === "allocation_failed")?.fields.reason).toBe(reason);
      expect(world.metrics.count("allocation_failures_total")).toBe(1);
    });
  }

  it("lets two concurrent allocations pick the same idle server (no claim)", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    await world.registerServer("ds2", "10.0.0.2:7000");
    world.exec("SET", "dedicated_server:ds2", JSON.stringify({ address: "10.0.0.2:7000", status: "busy" }));
    const instance = await world.instance("i1");
    const [a, b, c, d] = [instance.connect(), instance.connect(), instance.connect(), instance.connect()];
    enqueue(a, PLAYER_A);
    enqueue(b, PLAYER_B);
    await world.flush();
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    enqueue(c, PLAYER_C);
    enqueue(d, PLAYER_D);
    await world.flush();
    await world.advance(world.config.matchTickMs, a, b, c, d);
    const first = sessionIdOf(a);
    const second = sessionIdOf(c);
    expect(first).not.toBe(second);
    ready(a, first);
    ready(c, second);
    await world.flush();

    // The dedicated server marks itself busy when it creates a session, as the real one does.
    const serve = (id: string) => () => {
      world.exec("SET", "dedicated_server:ds1", JSON.stringify({ address: "10.0.0.1:7000", status: "busy" }));
      return createSessionReply(id, "10.0.0.1:7000");
    };
    world.http.reply(serve(GAME_SESSION), serve("9e9e9e9e-0000-4000-8000-000000000002"));
    ready(b, first);
    ready(d, second);
    await world.flush();
    expect(world.http.calls.map((call) => call.url)).toEqual([
      "http://10.0.0.1:7000/session/create",
      "http://10.0.0.1:7000/session/create",
    ]);
    for (const client of [a, b, c, d]) expect(client.socket.last()?.type).toBe("match_found");
  });

  it("sees a server busy once its create call has returned, when allocations do not overlap", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    const instance = await world.instance("i1");
    const first = await loadingPairOn(world, instance);
    world.http.reply(() => {
      world.exec("SET", "dedicated_server:ds1", JSON.stringify({ address: "10.0.0.1:7000", status: "busy" }));
      return createSessionReply(GAME_SESSION, "10.0.0.1:7000");
    });
    ready(first.a, first.sessionId);
    await world.flush();
    ready(first.b, first.sessionId);
    await world.flush();
    expect(first.a.socket.last()?.type).toBe("match_found");

    const c = instance.connect();
    const d = instance.connect();
    enqueue(c, PLAYER_C);
    enqueue(d, PLAYER_D);
    await world.advance(world.config.matchTickMs, first.a, first.b, c, d);
    const second = sessionIdOf(c);
    ready(c, second);
    await world.flush();
    ready(d, second);
    await world.flush();
    expect(world.http.calls).toHaveLength(1);
    expect(world.queue()).toEqual([PLAYER_C, PLAYER_D]);
  });

  it("crashes while building the create request when a member id is not a UUID", async () => {
    const world = new LegacyWorld();
    await world.registerServer("ds1", "10.0.0.1:7000");
    const { a, b, sessionId } = await loadingPair(world);
    world.exec("HSET", `loading:${sessionId}`, "mallory", "ready");
    ready(a, sessionId);
    await world.flush();
    ready(b, sessionId);
    await world.flush();
    expect(world.escapedHandlers()).toEqual(["HandleLoadingComplete"]);
    expect(world.http.calls).toEqual([]);
    expect(world.queue()).toEqual([]);
  });
});

async function loadingPairOn(world: LegacyWorld, instance: Awaited<ReturnType<LegacyWorld["instance"]>>) {
  const a = instance.connect();
  const b = instance.connect();
  return { a, b, sessionId: await matchTwo(world, a, b) };
}

describe("legacy CancelLoadingSession", () => {
  it("on a disconnect during loading, tells the other players and puts them back in the queue", async () => {
    const world = new LegacyWorld();
    const { a, b, sessionId } = await loadingPair(world);
    a.events.onClose();
    await world.flush();
    expect(b.socket.last()).toEqual({ type: "error", message: ErrorText.peerDisconnected });
    expect(world.queue()).toEqual([PLAYER_B]);
    expect(world.hash(`loading:${sessionId}`)).toBeNull();
    expect(world.redis.engine.inspect(`lock:loading:${sessionId}`)).toBeNull();
  });

  it("keeps the session id forever: closing later leaves a ghost in the queue", async () => {
    const world = new LegacyWorld();
    const { a, b } = await loadingPair(world);
    a.events.onClose();
    await world.flush();
    b.events.onClose();
    await world.flush();
    expect(world.logger.events()).toContain("cancel_session_missing");
    expect(world.queue()).toEqual([PLAYER_B]);
  });

  it("is dropped when the session lock is held elsewhere", async () => {
    const world = new LegacyWorld();
    const { a, b, sessionId } = await loadingPair(world);
    world.exec("SET", `lock:loading:${sessionId}`, "another-instance", "PX", 1_000);
    a.events.onClose();
    await world.flush();
    expect(world.logger.events()).toContain("cancel_lock_busy");
    expect(world.hash(`loading:${sessionId}`)?.[PLAYER_A]).toBe("loading");
    expect(b.socket.last()?.type).toBe("start_loading");
  });

  it("crashes after deleting the session when another member id is not a UUID", async () => {
    const world = new LegacyWorld();
    const { a, sessionId } = await loadingPair(world);
    world.exec("HSET", `loading:${sessionId}`, "mallory", "loading");
    a.events.onClose();
    await world.flush();
    expect(world.escapedHandlers()).toEqual(["CancelLoadingSession"]);
    expect(world.hash(`loading:${sessionId}`)).toBeNull();
    expect(world.queue()).toEqual([]);
  });
});

describe("legacy CheckStaleLoadingSessions", () => {
  it("expires a session only once now > created_at + timeout, in whole seconds", async () => {
    const world = new LegacyWorld();
    const { a, b, sessionId } = await loadingPair(world);
    await world.advance(world.config.staleSweepMs, a, b);
    expect(world.hash(`loading:${sessionId}`)).not.toBeNull();
    // Stops on the second sweep, before the next tick could match the re-queued pair again.
    await world.advance(world.config.staleSweepMs - world.config.matchTickMs, a, b);
    expect(world.hash(`loading:${sessionId}`)).toBeNull();
    expect(a.socket.last()).toEqual({ type: "error", message: ErrorText.timedOut });
    expect(b.socket.last()).toEqual({ type: "error", message: ErrorText.timedOut });
    expect(world.queue()).toEqual([PLAYER_A, PLAYER_B]);
    expect(world.metrics.count("sessions_expired_total")).toBe(1);
  });

  it("re-queues every member, connected or not (seed defect 3)", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const a = instance.connect();
    enqueue(a, PLAYER_A);
    await world.flush();
    world.exec("SREM", QUEUE, PLAYER_A);
    const created = Math.floor(world.time.now() / 1000);
    world.exec("HSET", "loading:s-1", PLAYER_A, "ready", PLAYER_D, "loading", "game_mode", MODE,
      "created_at", String(created), "status", "loading");
    await world.advance(2 * world.config.staleSweepMs, a);
    expect(world.queue()).toEqual([PLAYER_A, PLAYER_D]);
    expect(world.logger.entries.some((e) => e.event === "notification_dropped" && e.fields.player === PLAYER_D)).toBe(
      true,
    );
  });

  it("expires a fresh session when the sweeping instance's clock runs ahead", async () => {
    const world = new LegacyWorld();
    const { a, b, sessionId } = await loadingPair(world);
    const createdAt = world.time.now();
    await world.instance("ahead", 2 * world.config.loadingTimeoutMs);
    await world.advance(world.config.staleSweepMs, a, b);
    expect(world.hash(`loading:${sessionId}`)).toBeNull();
    expect(a.socket.last()).toEqual({ type: "error", message: ErrorText.timedOut });
    // By the true clock the session was not yet stale.
    expect(Math.floor(world.time.now() / 1000)).toBeLessThanOrEqual(
      Math.floor(createdAt / 1000) + world.config.loadingTimeoutMs / 1000,
    );
    expect(world.logger.entries.find((e) => e.event === "stale_session_expired")?.fields.now).toBe(
      Math.floor((world.time.now() + 2 * world.config.loadingTimeoutMs) / 1000),
    );
  });

  it("skips sessions whose lock is held and hashes without a usable created_at", async () => {
    const world = new LegacyWorld();
    await world.instance("i1");
    world.exec("HSET", "loading:locked", PLAYER_A, "loading", "game_mode", MODE, "created_at", "1", "status", "loading");
    world.exec("SET", "lock:loading:locked", "someone", "PX", 10 * world.config.staleSweepMs);
    world.exec("HSET", "loading:nodate", PLAYER_B, "loading", "game_mode", MODE, "status", "loading");
    world.exec("HSET", "loading:baddate", PLAYER_C, "loading", "game_mode", MODE, "created_at", "yesterday");
    await world.advance(world.config.staleSweepMs);
    expect(world.hash("loading:locked")).not.toBeNull();
    expect(world.hash("loading:nodate")).not.toBeNull();
    expect(world.hash("loading:baddate")).not.toBeNull();
    expect(world.queue()).toEqual([]);
    expect(world.redis.engine.inspect("lock:loading:nodate")).toBeNull();
  });

  it("crashes on a member id that is not a UUID, with the session deleted and its lock still held", async () => {
    const world = new LegacyWorld();
    await world.instance("i1");
    world.exec("HSET", "loading:s-1", "mallory", "loading", "game_mode", MODE, "created_at", "1", "status", "loading");
    await world.advance(world.config.staleSweepMs);
    expect(world.escapedHandlers()).toEqual(["CheckStaleLoadingSessions"]);
    expect(world.hash("loading:s-1")).toBeNull();
    expect(world.redis.engine.inspect("lock:loading:s-1")?.type).toBe("string");
  });
});
