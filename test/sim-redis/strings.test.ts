import { describe, expect, it } from "vitest";
import { simRedis, WRONGTYPE } from "./harness.ts";

describe("string commands", () => {
  it("SET options: NX, XX, GET, KEEPTTL, EX/PX/EXAT/PXAT", () => {
    const { run, error, clock } = simRedis();
    expect(run("SET", "k", "a", "NX")).toBe("OK");
    expect(run("SET", "k", "b", "nx")).toBeNull();
    expect(run("SET", "k", "c", "XX", "GET")).toBe("a");
    expect(run("SET", "missing", "c", "XX")).toBeNull();
    expect(run("SET", "k", "d", "EX", 10)).toBe("OK");
    expect(run("SET", "k", "e", "KEEPTTL")).toBe("OK");
    expect(run("PTTL", "k")).toBe(10_000);
    expect(run("SET", "k", "f")).toBe("OK");
    expect(run("PTTL", "k")).toBe(-1);
    run("SET", "k", "g", "PXAT", clock.now + 300);
    expect(run("PTTL", "k")).toBe(300);
    run("SET", "k", "h", "EXAT", Math.floor(clock.now / 1000) + 2);
    expect(run("TTL", "k")).toBe(2);
    expect(error("SET", "k", "v", "NX", "XX")).toBe("ERR syntax error");
    expect(error("SET", "k", "v", "EX", 10, "PX", 10)).toBe("ERR syntax error");
    expect(error("SET", "k", "v", "KEEPTTL", "EX", 10)).toBe("ERR syntax error");
    expect(error("SET", "k", "v", "EX")).toBe("ERR syntax error");
    expect(error("SET", "k", "v", "EX", 0)).toBe("ERR invalid expire time in 'set' command");
    expect(error("SET", "k", "v", "PX", "x")).toBe("ERR value is not an integer or out of range");
    run("SADD", "set", "m");
    expect(error("SET", "set", "v", "GET")).toBe(WRONGTYPE);
    expect(run("SET", "set", "v")).toBe("OK");
    expect(run("TYPE", "set")).toBe("string");
  });

  it("SETNX, MGET, GET on other types", () => {
    const { run, error } = simRedis();
    expect(run("SETNX", "a", "1")).toBe(1);
    expect(run("SETNX", "a", "2")).toBe(0);
    run("SADD", "s", "x");
    expect(run("MGET", "a", "s", "none")).toEqual(["1", null, null]);
    expect(error("GET", "s")).toBe(WRONGTYPE);
  });

  it("INCR family with Redis's integer rules and overflow", () => {
    const { run, error } = simRedis();
    expect(run("INCR", "n")).toBe(1);
    expect(run("INCRBY", "n", 41)).toBe(42);
    expect(run("DECR", "n")).toBe(41);
    expect(run("DECRBY", "n", "-9")).toBe(50);
    expect(run("GET", "n")).toBe("50");
    run("SET", "big", "9223372036854775806");
    // As ioredis parses it: digit by digit in doubles.
    expect(run("INCR", "big")).toBe(9223372036854778000);
    expect(run("GET", "big")).toBe("9223372036854775807");
    expect(error("INCR", "big")).toBe("ERR increment or decrement would overflow");
    for (const bad of ["abc", "1.5", " 1", "01", "+1", ""]) {
      run("SET", "bad", bad);
      expect(error("INCR", "bad")).toBe("ERR value is not an integer or out of range");
    }
    expect(error("INCRBY", "n", "1.0")).toBe("ERR value is not an integer or out of range");
    run("SET", "ttl", "1", "EX", 100);
    run("INCR", "ttl");
    expect(run("TTL", "ttl")).toBe(100);
  });
});
