import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IoRedisPort } from "../../src/adapters/ioredis-port.ts";
import type { LuaScript } from "../../src/ports/index.ts";
import { startRealRedis, type RealRedis } from "../support/redis-server.ts";
import { RestartableRedis } from "../support/restartable-redis.ts";
import { realRedisAvailable } from "./real-redis.ts";

describe.skipIf(!realRedisAvailable)("IoRedisPort on a real redis-server", () => {
  let redis: RealRedis;
  let port: IoRedisPort;
  let observer: IoRedisPort;

  beforeAll(async () => {
    redis = await startRealRedis();
    port = IoRedisPort.connect(redis.url);
    observer = IoRedisPort.connect(redis.url);
  });

  afterAll(async () => {
    await port?.quit();
    await observer?.quit();
    await redis?.stop();
  });

  it("returns replies in the port's shapes", async () => {
    expect(await port.call("SET", "cmd:s", "v")).toBe("OK");
    expect(await port.call("GET", "cmd:s")).toBe("v");
    expect(await port.call("GET", "cmd:missing")).toBeNull();
    expect(await port.call("INCR", "cmd:n")).toBe(1);
    expect(await port.call("SADD", "cmd:set", "a", "b", 3)).toBe(3);
    expect(((await port.call("SMEMBERS", "cmd:set")) as string[]).sort()).toEqual(["3", "a", "b"]);
    await port.call("HSET", "cmd:h", "f", "1");
    expect(await port.call("HGETALL", "cmd:h")).toEqual(["f", "1"]);
    expect(await port.call("hgetall", "cmd:h")).toEqual(["f", "1"]);
  });

  it("rejects with Redis's own error text", async () => {
    await port.call("SET", "cmd:str", "x");
    await expect(port.call("SADD", "cmd:str", "a")).rejects.toThrow(/^WRONGTYPE/);
  });

  it("runs a script with EVALSHA, loading it with EVAL when Redis does not know it", async () => {
    const script: LuaScript = {
      name: "pair",
      source: "redis.call('SET', KEYS[1], ARGV[1]); return {redis.call('GET', KEYS[1]), tonumber(ARGV[2]), {'nested'}}",
    };
    const sha = createHash("sha1").update(script.source).digest("hex");
    await observer.call("SCRIPT", "FLUSH");
    expect(await observer.call("SCRIPT", "EXISTS", sha)).toEqual([0]);

    expect(await port.runScript(script, ["script:k"], ["first", 7])).toEqual(["first", 7, ["nested"]]);
    expect(await observer.call("SCRIPT", "EXISTS", sha)).toEqual([1]);
    expect(await port.runScript(script, ["script:k"], ["second", 8])).toEqual(["second", 8, ["nested"]]);
    expect(await observer.call("GET", "script:k")).toBe("second");
  });

  it("rejects when the script itself fails", async () => {
    const failing: LuaScript = { name: "fails", source: "return redis.error_reply('BAD thing')" };
    await expect(port.runScript(failing, [], [])).rejects.toThrow(/BAD thing/);
  });

  it("routes pattern and channel messages to their listeners only", async () => {
    const byPattern: Array<[string, string]> = [];
    const byChannel: Array<[string, string]> = [];
    await port.psubscribe("note:*", (channel, message) => byPattern.push([channel, message]));
    await port.subscribe("inbox:1", (channel, message) => byChannel.push([channel, message]));

    // Commands still work on the command connection while the subscriber connection is subscribed.
    expect(await port.call("PUBLISH", "note:a", "hello")).toBe(1);
    await observer.call("PUBLISH", "inbox:1", "direct");
    await observer.call("PUBLISH", "inbox:2", "elsewhere");
    await observer.call("PUBLISH", "other", "ignored");

    await expect.poll(() => byPattern.length + byChannel.length).toBe(2);
    expect(byPattern).toEqual([["note:a", "hello"]]);
    expect(byChannel).toEqual([["inbox:1", "direct"]]);
  });

  it("closes both of its connections on quit", async () => {
    const own = IoRedisPort.connect(redis.url);
    const clients = async () => String(await observer.call("CLIENT", "LIST")).trim().split("\n").length;
    const before = await clients();
    await own.call("PING");
    await own.subscribe("quit:test", () => {});
    expect(await clients()).toBe(before + 2);
    await own.quit();
    await expect.poll(clients).toBe(before);
    await expect(own.call("PING")).rejects.toThrow();
  });
});

describe.skipIf(!realRedisAvailable)("IoRedisPort across a Redis restart", () => {
  let redis: RestartableRedis;
  let port: IoRedisPort;

  beforeAll(async () => {
    redis = await RestartableRedis.start();
    port = IoRedisPort.connect(redis.url);
  });

  afterAll(async () => {
    port?.disconnect();
    await redis?.stop();
  });

  it("reconnects, reloads its scripts on NOSCRIPT and restores its subscriptions", async () => {
    const script: LuaScript = { name: "incr", source: "return redis.call('INCR', KEYS[1])" };
    const received: string[] = [];
    await port.subscribe("restart:inbox", (_channel, message) => received.push(message));
    expect(await port.runScript(script, ["restart:n"], [])).toBe(1);

    await redis.restart();
    // Commands fail while the client reconnects, and succeed once it has.
    await expect.poll(() => port.call("PING").catch(() => "down"), { timeout: 10_000, interval: 100 }).toBe("PONG");
    expect(await port.runScript(script, ["restart:n"], [])).toBe(1);

    const observer = IoRedisPort.connect(redis.url);
    try {
      await expect.poll(() => observer.call("PUBLISH", "restart:inbox", "after"), { timeout: 10_000, interval: 100 }).toBe(1);
    } finally {
      await observer.quit();
    }
    await expect.poll(() => received).toContain("after");
  });
});
