import { afterEach, describe, expect, it } from "vitest";
import { FixedText, Keys } from "../../src/fixed/index.ts";
import { STATE_LOST_REASON } from "../../src/fixed/messages.ts";
import { settle } from "../support/manual-time.ts";
import { createdReply, FixedWorld, matchedPair, PLAYER_A, PLAYER_B, TEST_CONFIG } from "./fixed-world.ts";

/** What one connection can cost: its frame rate, its requests in flight, and how long an enqueue may wait. */

let world: FixedWorld;

afterEach(() => expect(world.escaped()).toEqual([]));

const SESSION = "5e5e5e5e-0000-4000-8000-000000000001";

describe("the frame rate limit", () => {
  it("refuses frames over the rate with one error, then closes with 1008 if the client keeps going", async () => {
    world = new FixedWorld({ ...TEST_CONFIG, maxFramesPerSecond: 5 });
    const i1 = await world.instance("i1");
    const a = i1.connect();
    for (let i = 0; i < 10; i++) a.events.onText("{not json");
    await world.flush();
    expect(a.socket.errors()).toEqual([...Array<string>(5).fill(FixedText.invalidFormat), FixedText.tooManyFrames]);
    expect(a.socket.closed).toBe(false);
    a.events.onText("{not json");
    expect(a.socket.closedWith).toEqual({ code: 1008, reason: "rate limit exceeded" });
    expect(i1.metrics.count("frames_refused_total")).toBe(6);
  });

  it("lets a client that slows down go on, with one error per time it went over", async () => {
    world = new FixedWorld({ ...TEST_CONFIG, maxFramesPerSecond: 2 });
    const i1 = await world.instance("i1");
    const a = i1.connect();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) a.events.onText("{not json");
      await world.advance(1_000);
    }
    expect(a.socket.closed).toBe(false);
    expect(a.socket.errors().filter((text) => text === FixedText.tooManyFrames)).toHaveLength(3);
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(world.queue()).toEqual([PLAYER_A]);
  });

  it("closes a client that keeps sending at twice the rate, after one error", async () => {
    world = new FixedWorld({ ...TEST_CONFIG, maxFramesPerSecond: 20 });
    const i1 = await world.instance("i1");
    const a = i1.connect();
    for (let i = 0; i < 200 && !a.socket.closed; i++) {
      a.events.onText("{not json");
      await world.time.advance(25);
    }
    expect(a.socket.closedWith).toEqual({ code: 1008, reason: "rate limit exceeded" });
    expect(a.socket.errors().filter((text) => text === FixedText.tooManyFrames)).toHaveLength(1);
  });
});

describe("requests in flight", () => {
  it("refuses a request beyond the bound at once, and takes requests again once some finished", async () => {
    world = new FixedWorld({ ...TEST_CONFIG, maxHandlersPerConnection: 3 });
    const i1 = await world.instance("i1");
    const a = i1.connect();
    const release = i1.redis.hold("enqueue");
    a.enqueue(PLAYER_A);
    a.ready(SESSION);
    a.ready(SESSION);
    a.ready(SESSION);
    // Not flush: it would wait for the held enqueue.
    await settle();
    expect(a.socket.errors()).toEqual([FixedText.tooManyRequests]);
    release();
    await world.flush();
    a.ready(SESSION);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.tooManyRequests]);
    expect(i1.redis.scripts.filter((name) => name === "fixed:ready")).toHaveLength(3);
    expect(i1.metrics.count("frames_refused_total")).toBe(1);
  });
});

describe("an enqueue waiting on Redis", () => {
  it("answers Internal server error at the deadline, and the close's leave removes what the late enqueue wrote", async () => {
    world = new FixedWorld({ ...TEST_CONFIG, enqueueTimeoutMs: 2_000 });
    const i1 = await world.instance("i1");
    const a = i1.connect();
    const release = i1.redis.hold("enqueue");
    a.enqueue(PLAYER_A);
    await settle();
    // The clock alone, not world.advance: its flush would wait for the held enqueue.
    await world.time.advance(1_999);
    expect(a.socket.messages()).toEqual([]);
    await world.time.advance(1);
    expect(a.socket.errors()).toEqual([FixedText.internal]);
    expect(a.socket.closedWith?.code).toBe(1011);
    expect(i1.logger.events()).toContain("enqueue_timed_out");
    release();
    await world.flush();
    expect(i1.redis.scripts.filter((name) => name === "fixed:enqueue")).toHaveLength(1);
    expect(world.player(PLAYER_A)).toBeNull();
    expect(world.queue()).toEqual([]);
  });
});

describe("an instance whose records are gone", () => {
  it("closes every connection with 1012, telling the clients to enqueue afresh, then registers again", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    const b = i1.connect();
    a.enqueue(PLAYER_A);
    await world.flush();
    world.exec("FLUSHALL");
    b.enqueue(PLAYER_B);
    await world.flush();
    for (const client of [a, b]) expect(client.socket.closedWith).toEqual({ code: 1012, reason: STATE_LOST_REASON });
    expect(b.socket.errors()).toEqual([]);
    await world.advance(TEST_CONFIG.presenceIntervalMs);
    expect(world.zset(Keys.instances)).toEqual(["i1"]);
    const c = i1.connect();
    c.enqueue(PLAYER_B);
    await world.flush();
    expect(c.socket.types()).toEqual(["queued"]);
  });
});

describe("latency", () => {
  it("observes enqueue to match_found per mode, and the allocation's duration by result", async () => {
    world = new FixedWorld();
    await world.registerServer();
    const i1 = await world.instance("i1");
    world.http.reply(createdReply());
    const { a, b, session } = await matchedPair(world, i1);
    await world.advance(3_000);
    a.ready(session);
    b.ready(session);
    await world.flush();
    expect(a.socket.types().at(-1)).toBe("match_found");
    const latencies = i1.metrics.observations.filter((o) => o.name === "enqueue_to_match_seconds");
    expect(latencies).toHaveLength(2);
    expect(latencies[0]?.labels).toEqual({ mode: "Normal_1v1" });
    expect(latencies[0]?.seconds).toBeGreaterThanOrEqual(3);
    expect(i1.metrics.observations.filter((o) => o.name === "allocation_seconds").map((o) => o.labels)).toEqual([{ result: "matched" }]);
  });
});
