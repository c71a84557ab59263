import { describe, expect, it } from "vitest";
import { createSimulatedRedis } from "../../sim/redis/index.ts";

const engine = (footprints = true) => createSimulatedRedis({ now: () => 1_000, random: () => 0.5, footprints });
const touched = (redis: ReturnType<typeof engine>) => {
  const footprint = redis.lastFootprint();
  return footprint && { reads: footprint.reads(), writes: footprint.writes(), all: footprint.readsAll };
};

describe("footprints: the keys a command touched", () => {
  it("reads for reading commands, writes for writing ones", () => {
    const redis = engine();
    redis.execute("SET", ["a", "1"]);
    expect(touched(redis)).toEqual({ reads: [], writes: ["a"], all: false });
    redis.execute("MGET", ["a", "b"]);
    expect(touched(redis)).toEqual({ reads: ["a", "b"], writes: [], all: false });
    redis.execute("DEL", ["s", "t"]);
    expect(touched(redis)).toEqual({ reads: [], writes: ["s", "t"], all: false });
  });

  it("a script's commands, each by what it does; a key read and then written counts as written", () => {
    const redis = engine();
    const body = "local v = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[2], v or 'x'); redis.call('GET', 'other'); redis.call('INCR', KEYS[1]); return 1";
    redis.execute("EVAL", [body, 2, "k1", "k2"]);
    expect(touched(redis)).toEqual({ reads: ["other"], writes: ["k1", "k2"], all: false });
  });

  it("a walk over the keyspace reads everything; a failed command still says what it touched", () => {
    const redis = engine();
    redis.execute("SET", ["a", "1"]);
    redis.execute("SCAN", ["0"]);
    expect(touched(redis)?.all).toBe(true);
    expect(() => redis.execute("LPUSH", ["a", "x"])).toThrow(/WRONGTYPE/);
    expect(touched(redis)).toEqual({ reads: [], writes: ["a"], all: false });
    expect(() => redis.execute("GET", [])).toThrow(/wrong number/);
    expect(touched(redis)).toBeNull();
  });

  it("is not kept when not asked for, and reading for a report leaves the last one alone", () => {
    const off = engine(false);
    off.execute("SET", ["a", "1"]);
    expect(off.lastFootprint()).toBeNull();
    const on = engine();
    on.execute("SET", ["a", "1"]);
    on.inspect("zzz");
    on.keys();
    expect(touched(on)).toEqual({ reads: [], writes: ["a"], all: false });
  });
});
