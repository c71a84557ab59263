import { describe, expect, it } from "vitest";
import { DirectRedisPort } from "../../sim/redis/index.ts";
import { simRedis } from "./harness.ts";

describe("pub/sub in the engine", () => {
  it("PUBLISH counts receivers and reports one delivery per subscription, channel first", () => {
    const { engine, run, published } = simRedis();
    engine.subscribe("c1", "match:1");
    engine.psubscribe("c1", "match:*");
    engine.psubscribe("c2", "m?tch:[0-9]");
    engine.psubscribe("c3", "other:*");
    expect(run("PUBLISH", "match:1", "hello")).toBe(3);
    expect(published).toEqual([
      [
        { subscriber: "c1", channel: "match:1", pattern: null, message: "hello" },
        { subscriber: "c1", channel: "match:1", pattern: "match:*", message: "hello" },
        { subscriber: "c2", channel: "match:1", pattern: "m?tch:[0-9]", message: "hello" },
      ],
    ]);
    engine.disconnect("c1");
    expect(run("PUBLISH", "match:1", "again")).toBe(1);
    expect(run("PUBLISH", "nobody", "x")).toBe(0);
    expect(published).toHaveLength(2);
  });

  it("scripts can publish", () => {
    const { engine, run, published } = simRedis();
    engine.subscribe("c", "ch");
    expect(run("EVAL", "return redis.call('PUBLISH', 'ch', 'from-lua')", 0)).toBe(1);
    expect(published[0]?.[0]?.message).toBe("from-lua");
  });
});

describe("DirectRedisPort", () => {
  it("answers on a later microtask and rejects with Redis's error text", async () => {
    const { engine } = simRedis();
    const port = new DirectRedisPort(engine, "client");
    const order: string[] = [];
    const reply = port.call("SET", "k", 1).then((r) => order.push(`reply:${r}`));
    order.push("sync");
    await reply;
    expect(order).toEqual(["sync", "reply:OK"]);
    await expect(port.call("SADD", "k", "x")).rejects.toThrow(
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    );
    expect(await port.runScript({ name: "echo", source: "return {KEYS[1], ARGV[1]}" }, ["a"], [2])).toEqual(["a", "2"]);
  });

  it("routes each delivery to the subscribing client's listeners, after the publisher's call", async () => {
    const { engine } = simRedis();
    const alice = new DirectRedisPort(engine, "alice");
    const bob = new DirectRedisPort(engine, "bob");
    const heard: string[] = [];
    await alice.subscribe("news", (channel, message) => heard.push(`alice:${channel}:${message}`));
    await alice.psubscribe("n*", (channel, message) => heard.push(`alice*:${channel}:${message}`));
    await bob.psubscribe("ne?s", (channel, message) => heard.push(`bob*:${channel}:${message}`));
    const receivers = await bob.call("PUBLISH", "news", "hi");
    expect(receivers).toBe(3);
    await Promise.resolve();
    expect(heard.sort()).toEqual(["alice*:news:hi", "alice:news:hi", "bob*:news:hi"]);
    alice.disconnect();
    await bob.call("PUBLISH", "news", "again");
    await Promise.resolve();
    expect(heard.filter((h) => h.includes("again"))).toEqual(["bob*:news:again"]);
  });

  it("delivers after the publishing command returned (never synchronously)", async () => {
    const { engine } = simRedis();
    const port = new DirectRedisPort(engine, "c");
    const heard: string[] = [];
    await port.subscribe("ch", (_c, m) => heard.push(m));
    engine.execute("PUBLISH", ["ch", "m"]);
    expect(heard).toEqual([]);
    await Promise.resolve();
    expect(heard).toEqual(["m"]);
  });
});
