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

/** What a client can tell of a keyspace: key order, each value in the engine's own order, and expiries. */
function observed(run: ReturnType<typeof simRedis>["run"]) {
  const keys = run("KEYS", "*") as string[];
  const scanned: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = run("SCAN", cursor, "COUNT", 1) as [string, string[]];
    scanned.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  const values = keys.map((key) => {
    const type = run("TYPE", key) as string;
    const value =
      type === "string" ? run("GET", key)
      : type === "set" ? run("SMEMBERS", key)
      : type === "hash" ? run("HGETALL", key)
      : type === "zset" ? run("ZRANGE", key, 0, -1, "WITHSCORES")
      : run("LRANGE", key, 0, -1);
    return [key, type, value, run("PTTL", key)];
  });
  return { keys, scanned, values };
}

describe("a snapshot loaded through commands (what the world does, so that a replay can do it too)", () => {
  /** An engine whose keys of every type were written, overwritten and partly deleted, some of them expiring. */
  function written(seed: string) {
    const redis = simRedis(seed);
    const { run, advance } = redis;
    run("SET", "z-first", "created first, listed first");
    run("SADD", "set", ...Array.from({ length: 12 }, (_, i) => `m${i}`));
    // Removals move the last member into the hole: the slots are no longer in insertion order.
    run("SREM", "set", "m2", "m5", "m0");
    run("SADD", "set", "late");
    run("HSET", "h", "b", "1", "a", "2", "c", "3");
    run("HSET", "h", "b", "overwritten in place");
    run("HDEL", "h", "a");
    run("HSET", "h", "a", "back, now last");
    run("ZADD", "zs", 1, "x", 1, "a", "-inf", "low", "inf", "high", "0.1", "tenth", "-0", "negative zero", 1e-300, "tiny");
    run("RPUSH", "l", "1", "2", "3");
    run("LPUSH", "l", "0");
    run("SET", "gone", "v");
    run("SET", "a-last", "v");
    run("DEL", "gone");
    run("SET", "expires-soon", "v", "PX", 2_000);
    run("SADD", "set-expiring", "a", "b");
    run("PEXPIRE", "set-expiring", 60_000);
    run("HSET", "hash-expiring", "f", "v");
    run("PEXPIRE", "hash-expiring", 5_000);
    run("ZADD", "zset-expiring", 3, "m");
    run("PEXPIRE", "zset-expiring", 2_500);
    run("RPUSH", "list-expiring", "x");
    run("PEXPIRE", "list-expiring", 30_000);
    advance(250);
    return redis;
  }

  it("gives exactly what restore gives: the same keys in the same order, values in the same order, expiries, and random picks", () => {
    const source = written("same stream");
    const saved = observed(source.run);
    const snapshot = source.engine.snapshot();
    source.advance(2_000);
    source.run("SET", "later", "1");
    source.run("SADD", "set", "later");

    // `restored` is the source itself, as the world rolls back its one Redis; `loaded` another engine with other keys.
    const restored = source;
    const loaded = simRedis("same stream");
    loaded.advance(2_250);
    loaded.run("SET", "stale", "v");
    loaded.run("SADD", "set", "other");
    restored.engine.restore(snapshot);
    loaded.run("FLUSHALL");
    for (const { command, args } of snapshot.loadAt(loaded.clock.now)) loaded.run(command, ...args);

    const now = observed(loaded.run);
    expect(now).toEqual(observed(restored.run));
    // The key whose expiry passed is gone; every other is as saved, one 2,000 ms closer to its expiry.
    expect(now.keys).toEqual(saved.keys.filter((key) => key !== "expires-soon"));
    expect(now.values).toEqual(
      saved.values.filter(([key]) => key !== "expires-soon").map(([key, type, value, ttl]) => [key, type, value, (ttl as number) < 0 ? ttl : (ttl as number) - 2_000]),
    );
    // Random picks draw the same slots of the same sets.
    for (const side of [restored, loaded]) side.advance(1);
    const picks = (run: typeof loaded.run) => [run("SRANDMEMBER", "set", -20), run("SPOP", "set", 3), run("SPOP", "set"), run("SRANDMEMBER", "set", 4)];
    expect(picks(loaded.run)).toEqual(picks(restored.run));
    // And the expiries fall at the same time.
    for (const side of [restored, loaded]) side.advance(30_000);
    expect(loaded.engine.keys()).toEqual(restored.engine.keys());
    expect(loaded.engine.keys()).toEqual(["a-last", "h", "l", "set", "set-expiring", "z-first", "zs"]);
  });

  it("leaves out the one key restore would keep a millisecond longer: one expiring at the very millisecond of the load", () => {
    const { engine, run, advance, clock } = simRedis();
    run("SET", "now", "v", "PX", 1_000);
    run("SET", "after", "v", "PX", 1_001);
    const snapshot = engine.snapshot();
    advance(1_000);
    expect(snapshot.loadAt(clock.now).map(({ command, args }) => [command, ...args])).toEqual([
      ["SET", "after", "v"],
      ["PEXPIRE", "after", "1"],
    ]);
    engine.restore(snapshot);
    expect(engine.keys()).toEqual(["after", "now"]);
    advance(1);
    expect(engine.keys()).toEqual(["after"]);
  });

  it("is a PEXPIRE relative to the current whole millisecond, as the engine counts one, on a clock between two", () => {
    const { engine, run, clock } = simRedis();
    clock.now += 0.5;
    run("SET", "k", "v", "PX", 1_000);
    const snapshot = engine.snapshot();
    clock.now += 100;
    const saved = run("PTTL", "k");
    run("FLUSHALL");
    for (const { command, args } of snapshot.loadAt(clock.now)) run(command, ...args);
    expect(run("PTTL", "k")).toBe(saved);
    clock.now = T0 + 999.9;
    expect(run("EXISTS", "k")).toBe(1);
    clock.now = T0 + 1_000.1;
    expect(run("EXISTS", "k")).toBe(0);
  });
});
