import { describe, expect, it } from "vitest";
import { simRedis, WRONGTYPE } from "./harness.ts";

describe("sets", () => {
  it("SADD, SREM, SCARD, SISMEMBER, SMEMBERS; the key goes away with its last member", () => {
    const { run, error } = simRedis();
    expect(run("SADD", "s", "a", "b", "a")).toBe(2);
    expect(run("SCARD", "s")).toBe(2);
    expect(run("SISMEMBER", "s", "a")).toBe(1);
    expect(run("SISMEMBER", "s", "z")).toBe(0);
    expect((run("SMEMBERS", "s") as string[]).sort()).toEqual(["a", "b"]);
    expect(run("SREM", "s", "a", "z")).toBe(1);
    expect(run("SREM", "s", "b")).toBe(1);
    expect(run("EXISTS", "s")).toBe(0);
    expect(run("SMEMBERS", "s")).toEqual([]);
    run("SET", "str", "x");
    expect(error("SADD", "str", "a")).toBe(WRONGTYPE);
    expect(error("SISMEMBER", "str", "a")).toBe(WRONGTYPE);
  });

  it("SPOP removes the key when emptied, count 0 gives [], negative count fails", () => {
    const { run, error } = simRedis();
    run("SADD", "s", "a", "b", "c");
    expect(run("SPOP", "s", 0)).toEqual([]);
    const first = run("SPOP", "s") as string;
    expect(["a", "b", "c"]).toContain(first);
    const rest = run("SPOP", "s", 10) as string[];
    expect([first, ...rest].sort()).toEqual(["a", "b", "c"]);
    expect(run("EXISTS", "s")).toBe(0);
    expect(run("SPOP", "s")).toBeNull();
    expect(run("SPOP", "s", 2)).toEqual([]);
    expect(error("SPOP", "s", -1)).toBe("ERR value is out of range, must be positive");
    expect(error("SPOP", "s", 1, 2)).toBe("ERR syntax error");
  });

  it("SRANDMEMBER: distinct for positive counts, repeats for negative", () => {
    const { run } = simRedis();
    run("SADD", "s", "a", "b", "c");
    expect(new Set(run("SRANDMEMBER", "s", 2) as string[]).size).toBe(2);
    expect((run("SRANDMEMBER", "s", 10) as string[]).sort()).toEqual(["a", "b", "c"]);
    expect(run("SRANDMEMBER", "s", -7)).toHaveLength(7);
    expect(run("SCARD", "s")).toBe(3);
    expect(run("SRANDMEMBER", "none")).toBeNull();
    expect(run("SRANDMEMBER", "none", 3)).toEqual([]);
  });

  it("randomness is seeded: the same seed gives the same SPOP sequence, another seed differs", () => {
    const draw = (seed: string) => {
      const { run } = simRedis(seed);
      run("SADD", "s", ...Array.from({ length: 100 }, (_, i) => `m${i}`));
      return Array.from({ length: 20 }, () => run("SPOP", "s"));
    };
    expect(draw("one")).toEqual(draw("one"));
    expect(draw("one")).not.toEqual(draw("two"));
  });
});

describe("hashes", () => {
  it("HSET pairs, HGETALL in insertion order, HDEL drops the key when emptied", () => {
    const { run, error } = simRedis();
    expect(run("HSET", "h", "b", "1", "a", "2")).toBe(2);
    expect(run("HSET", "h", "b", "3", "c", "4")).toBe(1);
    expect(run("HGETALL", "h")).toEqual(["b", "3", "a", "2", "c", "4"]);
    expect(run("HGET", "h", "a")).toBe("2");
    expect(run("HGET", "h", "zz")).toBeNull();
    expect(run("HMGET", "h", "a", "zz")).toEqual(["2", null]);
    expect(run("HKEYS", "h")).toEqual(["b", "a", "c"]);
    expect(run("HVALS", "h")).toEqual(["3", "2", "4"]);
    expect(run("HLEN", "h")).toBe(3);
    expect(run("HEXISTS", "h", "a")).toBe(1);
    expect(run("HSETNX", "h", "a", "x")).toBe(0);
    expect(run("HSETNX", "h", "d", "x")).toBe(1);
    expect(run("HDEL", "h", "a", "b", "c", "d", "zz")).toBe(4);
    expect(run("EXISTS", "h")).toBe(0);
    expect(run("HGETALL", "h")).toEqual([]);
    expect(error("HSET", "h", "a")).toBe("ERR wrong number of arguments for 'hset' command");
    expect(error("HSET", "h", "a", "1", "b")).toBe("ERR wrong number of arguments for 'hset' command");
  });

  it("HINCRBY", () => {
    const { run, error } = simRedis();
    expect(run("HINCRBY", "h", "n", 5)).toBe(5);
    expect(run("HINCRBY", "h", "n", -7)).toBe(-2);
    run("HSET", "h", "s", "abc");
    expect(error("HINCRBY", "h", "s", 1)).toBe("ERR hash value is not an integer");
    expect(error("HINCRBY", "h", "n", "x")).toBe("ERR value is not an integer or out of range");
  });
});

describe("sorted sets", () => {
  it("ZADD flags, ZSCORE formatting, ZRANK, ZREM drops the key when emptied", () => {
    const { run, error } = simRedis();
    expect(run("ZADD", "z", 1700000000000, "a", 2.5, "b")).toBe(2);
    expect(run("ZSCORE", "z", "a")).toBe("1700000000000");
    expect(run("ZSCORE", "z", "b")).toBe("2.5");
    expect(run("ZADD", "z", "0.1", "c")).toBe(1);
    expect(run("ZSCORE", "z", "c")).toBe("0.10000000000000001");
    expect(run("ZADD", "z", "NX", 5, "a", 6, "d")).toBe(1);
    expect(run("ZADD", "z", "xx", "ch", 7, "d", 8, "e")).toBe(1);
    expect(run("ZADD", "z", "GT", "CH", 1, "d")).toBe(0);
    expect(run("ZADD", "z", "LT", "CH", 1, "d")).toBe(1);
    expect(run("ZADD", "z", "INCR", 2, "d")).toBe("3");
    expect(run("ZADD", "z", "XX", "INCR", 2, "nope")).toBeNull();
    expect(run("ZRANK", "z", "c")).toBe(0);
    expect(run("ZRANK", "z", "nope")).toBeNull();
    expect(run("ZCARD", "z")).toBe(4);
    expect(error("ZADD", "z", "NX", "XX", 1, "a")).toBe("ERR XX and NX options at the same time are not compatible");
    expect(error("ZADD", "z", "GT", "LT", 1, "a")).toBe("ERR GT, LT, and/or NX options at the same time are not compatible");
    expect(error("ZADD", "z", "INCR", 1, "a", 2, "b")).toBe("ERR INCR option supports a single increment-element pair");
    expect(error("ZADD", "z", "x", "a")).toBe("ERR value is not a valid float");
    expect(error("ZADD", "z", 1, "a", 2)).toBe("ERR syntax error");
    expect(run("ZREM", "z", "a", "b", "c", "d", "x")).toBe(4);
    expect(run("EXISTS", "z")).toBe(0);
  });

  it("ZRANGE by rank, by score, reversed, with LIMIT and WITHSCORES", () => {
    const { run, error } = simRedis();
    run("ZADD", "z", 1, "a", 2, "b", 2, "c", 3, "d", 10, "e");
    expect(run("ZRANGE", "z", 0, -1)).toEqual(["a", "b", "c", "d", "e"]);
    expect(run("ZRANGE", "z", 1, 2, "WITHSCORES")).toEqual(["b", "2", "c", "2"]);
    expect(run("ZRANGE", "z", 0, 1, "rev")).toEqual(["e", "d"]);
    expect(run("ZRANGE", "z", "(1", 3, "BYSCORE")).toEqual(["b", "c", "d"]);
    expect(run("ZRANGE", "z", "+inf", "(2", "BYSCORE", "REV", "withscores")).toEqual(["e", "10", "d", "3"]);
    expect(run("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", 1, 2)).toEqual(["b", "c"]);
    expect(run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 2, -1)).toEqual(["c", "d", "e"]);
    expect(run("ZRANGEBYSCORE", "z", 2, 2, "WITHSCORES")).toEqual(["b", "2", "c", "2"]);
    expect(run("ZRANGEBYSCORE", "z", "(2", "(10")).toEqual(["d"]);
    expect(run("ZRANGEBYSCORE", "z", 5, 1)).toEqual([]);
    expect(run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", -1, 2)).toEqual([]);
    expect(run("ZRANGE", "missing", 0, -1)).toEqual([]);
    expect(error("ZRANGEBYSCORE", "z", "x", 1)).toBe("ERR min or max is not a float");
    expect(error("ZRANGE", "z", 0, 1, "LIMIT", 0, 1)).toBe(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
    expect(error("ZRANGE", "z", 0, 1, "BOGUS")).toBe("ERR syntax error");
  });

  it("ZPOPMIN pops in score order and removes the emptied key", () => {
    const { run, error } = simRedis();
    run("ZADD", "z", 3, "c", 1, "a", 2, "b");
    expect(run("ZPOPMIN", "z")).toEqual(["a", "1"]);
    expect(run("ZPOPMIN", "z", 0)).toEqual([]);
    expect(run("ZPOPMIN", "z", 5)).toEqual(["b", "2", "c", "3"]);
    expect(run("EXISTS", "z")).toBe(0);
    expect(run("ZPOPMIN", "z")).toEqual([]);
    expect(error("ZPOPMIN", "z", -1)).toBe("ERR value is out of range, must be positive");
  });
});

describe("lists", () => {
  it("LPUSH, RPUSH, LPOP, RPOP, LRANGE, LLEN", () => {
    const { run } = simRedis();
    expect(run("RPUSH", "l", "a", "b")).toBe(2);
    expect(run("LPUSH", "l", "x", "y")).toBe(4);
    expect(run("LRANGE", "l", 0, -1)).toEqual(["y", "x", "a", "b"]);
    expect(run("LRANGE", "l", -2, 10)).toEqual(["a", "b"]);
    expect(run("LPOP", "l")).toBe("y");
    expect(run("RPOP", "l", 2)).toEqual(["b", "a"]);
    expect(run("LLEN", "l")).toBe(1);
    expect(run("LPOP", "l", 0)).toEqual([]);
    expect(run("LPOP", "l")).toBe("x");
    expect(run("EXISTS", "l")).toBe(0);
    expect(run("LPOP", "l")).toBeNull();
    expect(run("LPOP", "l", 2)).toBeNull();
  });
});
