import { describe, expect, it } from "vitest";
import { simRedis, T0 } from "./harness.ts";

/** Every key of the engine with its contents and remaining time to live, as a comparison needs them. */
function dump(engine: ReturnType<typeof simRedis>["engine"], run: ReturnType<typeof simRedis>["run"]) {
  return engine.keys().map((key) => [key, engine.inspect(key), run("PTTL", key)]);
}

describe("a snapshot of the keyspace and its restore (an RDB save and a restart from it)", () => {
  it("brings back every key of every type as it was saved, and nothing written since", () => {
    const { engine, run, advance } = simRedis();
    run("SET", "s", "v");
    run("SADD", "set", "a", "b", "c");
    run("HSET", "h", "f", "1", "g", "2");
    run("ZADD", "z", 2, "m2", 1, "m1");
    run("RPUSH", "l", "x", "y");
    run("INCR", "counter");
    const saved = dump(engine, run);
    const snapshot = engine.snapshot();
    expect(snapshot.at).toBe(T0);
    advance(500);
    // Later writes of every kind: changed values, new keys, deleted keys, a collection emptied.
    run("SET", "s", "w");
    run("SADD", "set", "d");
    run("SREM", "set", "a");
    run("HSET", "h", "f", "9");
    run("HDEL", "h", "g");
    run("ZADD", "z", 0, "m0");
    run("ZINCRBY", "z", 5, "m1");
    run("RPUSH", "l", "z");
    run("LPOP", "l");
    run("INCR", "counter");
    run("SET", "later", "1");
    run("DEL", "s");
    expect(engine.restore(snapshot)).toBe(6);
    expect(dump(engine, run)).toEqual(saved);
    expect(run("EXISTS", "later")).toBe(0);
    expect(run("INCR", "counter")).toBe(2);
  });

  it("is not changed by writes to the keys it was restored into, so it can be restored again", () => {
    const { engine, run } = simRedis();
    run("SADD", "set", "a");
    run("HSET", "h", "f", "1");
    run("ZADD", "z", 1, "m");
    run("RPUSH", "l", "x");
    const snapshot = engine.snapshot();
    const saved = dump(engine, run);
    engine.restore(snapshot);
    run("SADD", "set", "b");
    run("HSET", "h", "f", "2");
    run("ZADD", "z", 9, "m");
    run("RPUSH", "l", "y");
    engine.restore(snapshot);
    expect(dump(engine, run)).toEqual(saved);
  });

  it("keeps each expiry as an absolute time: a key whose expiry passed by the restore is not loaded", () => {
    const { engine, run, advance } = simRedis();
    run("SET", "short", "v", "PX", 1_000);
    run("SET", "long", "v", "PX", 10_000);
    run("SET", "forever", "v");
    const snapshot = engine.snapshot();
    advance(3_000);
    run("PEXPIRE", "long", 60_000);
    run("PERSIST", "forever");
    run("PEXPIRE", "forever", 100);
    expect(engine.restore(snapshot)).toBe(2);
    expect(engine.keys()).toEqual(["forever", "long"]);
    expect(run("PTTL", "long")).toBe(7_000);
    expect(run("PTTL", "forever")).toBe(-1);
    advance(7_001);
    expect(run("EXISTS", "long")).toBe(0);
  });

  it("moves the keyspace's version, so readers know to look again", () => {
    const { engine, run } = simRedis();
    run("SET", "k", "v");
    const snapshot = engine.snapshot();
    const before = engine.version();
    engine.restore(snapshot);
    expect(engine.version()).not.toBe(before);
  });
});
