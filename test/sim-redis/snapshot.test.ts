import { describe, expect, it } from "vitest";
import type { KeyspaceSnapshot } from "../../sim/redis/index.ts";
import { simRedis, T0 } from "./harness.ts";

type Redis = ReturnType<typeof simRedis>;

/** Every key of the engine with its contents and remaining time to live, as a comparison needs them. */
function dump({ engine, run }: Redis) {
  return engine.keys().map((key) => [key, engine.inspect(key), run("PTTL", key)]);
}

/** A Redis restarting from the snapshot, as the world has it: FLUSHALL, then the snapshot's load commands. */
function load({ run, clock }: Redis, snapshot: KeyspaceSnapshot): void {
  run("FLUSHALL");
  for (const { command, args } of snapshot.loadAt(clock.now)) run(command, ...args);
}

/** What a client can tell of a keyspace: key order, each value in the engine's own order, and expiries. */
function observed({ run }: Redis) {
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

/** An engine whose keys of every type were written, overwritten and partly deleted, some of them expiring. */
function written(seed: string): Redis {
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

describe("a snapshot of the keyspace and its load (an RDB save and a restart from it)", () => {
  it("brings back every key of every type as it was saved, and nothing written since", () => {
    const redis = simRedis();
    const { engine, run, advance } = redis;
    run("SET", "s", "v");
    run("SADD", "set", "a", "b", "c");
    run("HSET", "h", "f", "1", "g", "2");
    run("ZADD", "z", 2, "m2", 1, "m1");
    run("RPUSH", "l", "x", "y");
    run("INCR", "counter");
    const saved = dump(redis);
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
    load(redis, snapshot);
    expect(dump(redis)).toEqual(saved);
    expect(run("EXISTS", "later")).toBe(0);
    expect(run("INCR", "counter")).toBe(2);
  });

  it("is not changed by writes to the keys it was loaded into, so it can be loaded again", () => {
    const redis = simRedis();
    const { engine, run } = redis;
    run("SADD", "set", "a");
    run("HSET", "h", "f", "1");
    run("ZADD", "z", 1, "m");
    run("RPUSH", "l", "x");
    const snapshot = engine.snapshot();
    const saved = dump(redis);
    load(redis, snapshot);
    run("SADD", "set", "b");
    run("HSET", "h", "f", "2");
    run("ZADD", "z", 9, "m");
    run("RPUSH", "l", "y");
    load(redis, snapshot);
    expect(dump(redis)).toEqual(saved);
  });

  it("keeps each expiry's absolute time: a key whose expiry passed by the load is not loaded", () => {
    const redis = simRedis();
    const { engine, run, advance } = redis;
    run("SET", "short", "v", "PX", 1_000);
    run("SET", "long", "v", "PX", 10_000);
    run("SET", "forever", "v");
    const snapshot = engine.snapshot();
    advance(3_000);
    run("PEXPIRE", "long", 60_000);
    run("PERSIST", "forever");
    run("PEXPIRE", "forever", 100);
    load(redis, snapshot);
    expect(engine.keys()).toEqual(["forever", "long"]);
    expect(run("PTTL", "long")).toBe(7_000);
    expect(run("PTTL", "forever")).toBe(-1);
    advance(7_001);
    expect(run("EXISTS", "long")).toBe(0);
  });

  it("gives back what was saved as a client can tell: key order, set slots and so random picks, hash field order, scores, expiries", () => {
    const source = written("one stream");
    const saved = observed(source);
    const snapshot = source.engine.snapshot();
    source.advance(2_000);
    source.run("SET", "later", "1");
    source.run("SADD", "set", "later");
    load(source, snapshot);
    const loaded = observed(source);
    // The key whose expiry passed is gone; every other is as saved, 2,000 ms closer to its expiry.
    expect(loaded.keys).toEqual(saved.keys.filter((key) => key !== "expires-soon"));
    expect(loaded.scanned).toEqual(loaded.keys);
    expect(loaded.values).toEqual(
      saved.values.filter(([key]) => key !== "expires-soon").map(([key, type, value, ttl]) => [key, type, value, (ttl as number) < 0 ? ttl : (ttl as number) - 2_000]),
    );

    // An engine with other keys, loaded alike, against a twin of the source that nothing wrote to since the save
    // (neither has drawn from its random stream): random picks take the same slots of the same sets, and the
    // expiries fall at the same time.
    const other = simRedis("one stream");
    other.advance(2_250);
    other.run("SET", "stale", "v");
    other.run("SADD", "set", "other");
    load(other, snapshot);
    const twin = written("one stream");
    twin.advance(2_000);
    const picks = ({ run }: Redis) => [run("SRANDMEMBER", "set", -20), run("SPOP", "set", 3), run("SPOP", "set"), run("SRANDMEMBER", "set", 4)];
    expect(picks(other)).toEqual(picks(twin));
    for (const side of [other, twin]) side.advance(30_000);
    expect(other.engine.keys()).toEqual(twin.engine.keys());
    expect(other.engine.keys()).toEqual(["a-last", "h", "l", "set", "set-expiring", "z-first", "zs"]);
  });

  it("leaves out a key expiring at the very millisecond of the load, which Redis would keep for that millisecond", () => {
    const { engine, run, advance, clock } = simRedis();
    run("SET", "now", "v", "PX", 1_000);
    run("SET", "after", "v", "PX", 1_001);
    const snapshot = engine.snapshot();
    advance(1_000);
    // No command can write a key that expires at once: SET with PX 0 fails, a PEXPIRE of 0 deletes.
    expect(snapshot.loadAt(clock.now).map(({ command, args }) => [command, ...args])).toEqual([
      ["SET", "after", "v"],
      ["PEXPIRE", "after", "1"],
    ]);
  });

  it("sets each expiry by a PEXPIRE from the current whole millisecond, as the engine counts one, on a clock between two", () => {
    const redis = simRedis();
    const { engine, run, clock } = redis;
    clock.now += 0.5;
    run("SET", "k", "v", "PX", 1_000);
    const snapshot = engine.snapshot();
    clock.now += 100;
    const saved = run("PTTL", "k");
    load(redis, snapshot);
    expect(run("PTTL", "k")).toBe(saved);
    clock.now = T0 + 999.9;
    expect(run("EXISTS", "k")).toBe(1);
    clock.now = T0 + 1_000.1;
    expect(run("EXISTS", "k")).toBe(0);
  });
});
