import { describe, expect, it } from "vitest";
import { simRedis, T0 } from "./harness.ts";

describe("key commands", () => {
  it("DEL, EXISTS and TYPE see every type and count duplicates like Redis", () => {
    const { run } = simRedis();
    run("SET", "s", "v");
    run("SADD", "set", "a");
    run("HSET", "h", "f", "v");
    run("ZADD", "z", 1, "m");
    run("RPUSH", "l", "x");
    expect(["s", "set", "h", "z", "l", "nope"].map((k) => run("TYPE", k))).toEqual([
      "string",
      "set",
      "hash",
      "zset",
      "list",
      "none",
    ]);
    expect(run("EXISTS", "s", "s", "nope")).toBe(2);
    expect(run("DEL", "s", "set", "nope")).toBe(2);
    expect(run("EXISTS", "s", "set")).toBe(0);
  });

  it("expires lazily on the engine clock, TTL rounding like Redis", () => {
    const { run, advance } = simRedis();
    run("SET", "k", "v", "PX", 1500);
    expect(run("PTTL", "k")).toBe(1500);
    expect(run("TTL", "k")).toBe(2);
    advance(1001);
    expect(run("PTTL", "k")).toBe(499);
    expect(run("TTL", "k")).toBe(0);
    advance(499);
    expect(run("GET", "k")).toBe("v");
    advance(1);
    expect(run("GET", "k")).toBeNull();
    expect(run("TTL", "k")).toBe(-2);
    run("SET", "p", "v");
    expect(run("TTL", "p")).toBe(-1);
  });

  it("EXPIRE options and non-positive times", () => {
    const { run, error } = simRedis();
    run("SET", "k", "v");
    expect(run("EXPIRE", "k", 10, "XX")).toBe(0);
    expect(run("EXPIRE", "k", 10, "nx")).toBe(1);
    expect(run("EXPIRE", "k", 5, "GT")).toBe(0);
    expect(run("EXPIRE", "k", 20, "GT")).toBe(1);
    expect(run("PEXPIRE", "k", 100, "LT")).toBe(1);
    expect(run("PTTL", "k")).toBe(100);
    expect(run("PERSIST", "k")).toBe(1);
    expect(run("PERSIST", "k")).toBe(0);
    expect(run("EXPIRE", "missing", 10)).toBe(0);
    expect(error("EXPIRE", "k", 10, "NX", "XX")).toBe("ERR NX and XX, GT or LT options at the same time are not compatible");
    expect(error("EXPIRE", "k", 10, "FOO")).toBe("ERR Unsupported option FOO");
    expect(error("EXPIRE", "k", "ten")).toBe("ERR value is not an integer or out of range");
    expect(run("EXPIRE", "k", 0)).toBe(1);
    expect(run("EXISTS", "k")).toBe(0);
    run("SET", "k", "v");
    expect(run("PEXPIREAT", "k", T0 + 50)).toBe(1);
    expect(run("PTTL", "k")).toBe(50);
  });

  it("expired keys disappear from KEYS, SCAN and keys()", () => {
    const { run, engine, advance } = simRedis();
    run("SET", "a", "1", "PX", 10);
    run("SET", "b", "2");
    advance(11);
    expect(run("KEYS", "*")).toEqual(["b"]);
    expect(run("SCAN", 0)).toEqual(["0", ["b"]]);
    expect(engine.keys()).toEqual(["b"]);
    expect(engine.inspect("a")).toBeNull();
  });

  it("SCAN returns every key that exists for the whole iteration despite deletions and insertions", () => {
    const { run } = simRedis();
    for (let i = 0; i < 50; i++) run("SET", `k${i}`, i);
    const seen: string[] = [];
    let cursor = "0";
    let round = 0;
    do {
      const [next, keys] = run("SCAN", cursor, "COUNT", 7) as [string, string[]];
      seen.push(...keys);
      cursor = next;
      // Churn between calls: delete keys not yet seen, create new ones.
      run("DEL", `k${49 - round}`);
      run("SET", `new${round}`, "x");
      round++;
    } while (cursor !== "0");
    const survivors = Array.from({ length: 50 }, (_, i) => `k${i}`).filter((k) => run("EXISTS", k) === 1);
    for (const key of survivors) expect(seen).toContain(key);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("SCAN MATCH and TYPE filter, COUNT validated, options case-insensitive", () => {
    const { run, error } = simRedis();
    run("SET", "user:1", "a");
    run("SADD", "user:2", "a");
    run("SET", "other", "a");
    expect(run("SCAN", 0, "match", "user:*", "count", 100)).toEqual(["0", ["user:1", "user:2"]]);
    expect(run("SCAN", 0, "TYPE", "set", "COUNT", 100)).toEqual(["0", ["user:2"]]);
    expect(error("SCAN", 0, "COUNT", 0)).toBe("ERR syntax error");
    expect(error("SCAN", "x")).toBe("ERR invalid cursor");
    expect(error("SCAN", 0, "MATCH")).toBe("ERR syntax error");
  });

  it("KEYS with Redis glob patterns", () => {
    const { run } = simRedis();
    for (const key of ["hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo"]) run("SET", key, 1);
    const keys = (pattern: string) => (run("KEYS", pattern) as string[]).sort();
    expect(keys("h?llo")).toEqual(["h*llo", "hallo", "hello", "hxllo"]);
    expect(keys("h*llo")).toEqual(["h*llo", "hallo", "heeeello", "hello", "hllo", "hxllo"]);
    expect(keys("h[ae]llo")).toEqual(["hallo", "hello"]);
    expect(keys("h[^e]llo")).toEqual(["h*llo", "hallo", "hxllo"]);
    expect(keys("h[a-b]llo")).toEqual(["hallo"]);
    expect(keys("h\\*llo")).toEqual(["h*llo"]);
  });

  it("FLUSHALL, TIME, PING, ECHO", () => {
    const { run, error, advance } = simRedis();
    run("SET", "a", 1);
    expect(run("FLUSHALL")).toBe("OK");
    expect(run("EXISTS", "a")).toBe(0);
    advance(1234.5678);
    expect(run("TIME")).toEqual(["1700000001", "234567"]);
    expect(run("PING")).toBe("PONG");
    expect(run("PING", "hi")).toBe("hi");
    expect(run("ECHO", "x")).toBe("x");
    expect(error("FLUSHALL", "NOW")).toBe("ERR syntax error");
  });
});
