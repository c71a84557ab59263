import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import { SeededRandom } from "../support/fake-ports.ts";
import { enqueue, LegacyWorld, matchTwo, MODE, PLAYER_A, PLAYER_B, PLAYER_C, QUEUE } from "./legacy-world.ts";

describe("legacy TryMatch", () => {
  it("starts one timer per mode and the stale sweep, and stop cancels them", async () => {
    const world = new LegacyWorld({
      ...DEFAULT_CONFIG,
      gameModes: [
        { name: MODE, requiredPlayers: 2 },
        { name: "Duo", requiredPlayers: 4 },
      ],
    });
    const instance = await world.instance("i1");
    expect(world.time.labels().sort()).toEqual(["sweep", "tick:Duo", `tick:${MODE}`]);
    await instance.server.stop();
    expect(world.time.labels()).toEqual([]);
  });

  it("moves exactly the required players into a loading session and tells each", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const a = instance.connect();
    const b = instance.connect();
    const sessionId = await matchTwo(world, a, b);
    expect(b.socket.last()).toEqual({ type: "start_loading", loading_session_id: sessionId });
    expect(world.queue()).toEqual([]);
    expect(world.hash(`loading:${sessionId}`)).toEqual({
      [PLAYER_A]: "loading",
      [PLAYER_B]: "loading",
      game_mode: MODE,
      created_at: String(Math.floor(world.time.now() / 1000)),
      status: "loading",
    });
    expect(world.redis.engine.inspect(`lock:match:${MODE}`)).toBeNull();
  });

  it("leaves a lone player queued", async () => {
    const world = new LegacyWorld();
    const a = (await world.instance("i1")).connect();
    enqueue(a, PLAYER_A);
    await world.flush();
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    expect(world.queue()).toEqual([PLAYER_A]);
    expect(world.redis.engine.keys()).toEqual([QUEUE]);
  });

  it("skips the tick when another instance holds the mode's lock", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const a = instance.connect();
    const b = instance.connect();
    world.exec("SET", `lock:match:${MODE}`, "someone-else", "PX", 60_000);
    enqueue(a, PLAYER_A);
    enqueue(b, PLAYER_B);
    await world.flush();
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    expect(world.queue()).toEqual([PLAYER_A, PLAYER_B]);
    expect(world.logger.events()).toContain("match_lock_busy");
  });

  it("crashes on an unparseable queued id and leaves the match lock to expire", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const a = instance.connect();
    const bob = instance.connect();
    enqueue(a, PLAYER_A);
    enqueue(bob, "bob");
    await world.flush();
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    expect(world.escapedHandlers()).toEqual(["TryMatch"]);
    expect(String(world.supervisor.escaped[0]?.error)).toContain("bob");
    expect(world.queue()).toEqual([]);
    const lock = world.redis.engine.inspect(`lock:match:${MODE}`);
    expect(lock?.type).toBe("string");
    await world.advance(world.config.lockDurationMs + 1_000, a, bob);
    expect(world.redis.engine.inspect(`lock:match:${MODE}`)).toBeNull();
  });

  it("tells players in Redis's canonical lower case (Uuid's Display), whatever case they enqueued with", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const upper = instance.connect();
    const b = instance.connect();
    enqueue(upper, PLAYER_C.toUpperCase());
    enqueue(b, PLAYER_B);
    await world.flush();
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    expect(b.socket.last()?.type).toBe("start_loading");
    expect(upper.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.logger.entries.some((e) => e.event === "notification_dropped" && e.fields.player === PLAYER_C)).toBe(
      true,
    );
  });

  it("puts players back in the queue when the loading hash cannot be written", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const a = instance.connect();
    const b = instance.connect();
    enqueue(a, PLAYER_A);
    enqueue(b, PLAYER_B);
    await world.flush();
    // Replays the instance's seeded draws (lock token, then session id) so a foreign writer can squat the key.
    const draws = new SeededRandom("i1");
    draws.token();
    world.exec("SET", `loading:${draws.uuid()}`, "foreign");
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    expect(world.logger.events()).toContain("loading_session_create_failed");
    expect(world.queue()).toEqual([PLAYER_A, PLAYER_B]);
    expect(a.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.redis.engine.inspect(`lock:match:${MODE}`)).toBeNull();
  });
});
