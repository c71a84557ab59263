import { describe, expect, it } from "vitest";
import { globMatch } from "../../sim/redis/glob.ts";
import { formatDouble, parseDouble } from "../../sim/redis/numbers.ts";
import { simRedis, WRONGTYPE } from "./harness.ts";

describe("command errors", () => {
  it("unknown commands and wrong arity use Redis's texts; names are case-insensitive", () => {
    const { run, error } = simRedis();
    expect(error("NOPE", "a", "b")).toBe("ERR unknown command 'NOPE', with args beginning with: 'a' 'b' ");
    expect(error("GET")).toBe("ERR wrong number of arguments for 'get' command");
    expect(error("Get", "a", "b")).toBe("ERR wrong number of arguments for 'get' command");
    expect(run("sEt", "a", "1")).toBe("OK");
  });

  it("WRONGTYPE from every family", () => {
    const { run, error } = simRedis();
    run("SET", "str", "x");
    run("SADD", "set", "x");
    for (const [command, ...args] of [
      ["HGET", "str", "f"],
      ["ZADD", "set", 1, "m"],
      ["LPUSH", "str", "a"],
      ["INCR", "set"],
      ["SMEMBERS", "str"],
      ["ZRANGE", "str", 0, -1],
    ] as const) {
      expect(error(command, ...args)).toBe(WRONGTYPE);
    }
  });
});

describe("glob", () => {
  it.each([
    ["*", "anything", true],
    ["a*b", "ab", true],
    ["a*b", "a-b-c", false],
    ["a?c", "abc", true],
    ["[abc]x", "bx", true],
    ["[^abc]x", "bx", false],
    ["[a-c]", "b", true],
    ["[c-a]", "b", true],
    ["a\\*", "a*", true],
    ["a\\*", "ab", false],
    ["[", "[", false],
    ["**x", "x", true],
  ])("%s vs %s", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });
});

describe("numbers", () => {
  it("formats doubles like printf %.17g", () => {
    expect(formatDouble(0.1)).toBe("0.10000000000000001");
    expect(formatDouble(1700000000000)).toBe("1700000000000");
    expect(formatDouble(1e20)).toBe("1e+20");
    expect(formatDouble(0.00001)).toBe("1.0000000000000001e-05");
    expect(formatDouble(2.5)).toBe("2.5");
    expect(formatDouble(-Infinity)).toBe("-inf");
    expect(formatDouble(0.1, 14)).toBe("0.1");
  });

  it("parses doubles like strtod as Redis uses it", () => {
    expect(parseDouble("1e3")).toBe(1000);
    expect(parseDouble("-inf")).toBe(-Infinity);
    expect(parseDouble("+Infinity")).toBe(Infinity);
    expect(parseDouble(".5")).toBe(0.5);
    expect(parseDouble(" 1")).toBeNull();
    expect(parseDouble("nan")).toBeNull();
    expect(parseDouble("")).toBeNull();
  });
});
