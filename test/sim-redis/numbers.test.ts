import { describe, expect, it } from "vitest";
import { simRedis } from "./harness.ts";

/** Expected values are what redis-server 7.0.15 answers (found by `npm run conformance`, checked by hand). */
describe("Lua 5.1 string -> number conversion (strtod)", () => {
  const evalText = (body: string) => simRedis().run("EVAL", body, 0);

  it("reads nan, inf and infinity in any case, as Redis's Lua does (Lua 5.3 rejects them)", () => {
    expect(evalText("return tostring(tonumber('nan'))")).toBe("nan");
    expect(evalText("return tostring(tonumber('-nan'))")).toBe("-nan");
    expect(evalText("return tostring(tonumber('nan(12)'))")).toBe("nan");
    expect(evalText("return tostring(tonumber('inf'))")).toBe("inf");
    expect(evalText("return tostring(tonumber('INF'))")).toBe("inf");
    expect(evalText("return tostring(tonumber('-infinity'))")).toBe("-inf");
    expect(evalText("return tostring(tonumber('nan') == tonumber('nan'))")).toBe("false");
    // LLONG_MIN, as ioredis's parser rounds it.
    expect(evalText("return 'inf' + 1")).toBe(-9223372036854778000);
  });

  it("keeps hex numerals beyond 32 bits, stops at a NUL byte, allows surrounding spaces only", () => {
    expect(evalText("return tonumber('0xffffffffff')")).toBe(1099511627775);
    expect(evalText("return tostring(tonumber('0x1.8'))")).toBe("1.5");
    expect(evalText("return tonumber('0x1p4')")).toBe(16);
    expect(evalText("return tonumber('5\\0x')")).toBe(5);
    expect(evalText("return tonumber(' 5 ')")).toBe(5);
    expect(evalText("return tostring(tonumber('0x'))")).toBe("nil");
    expect(evalText("return tostring(tonumber('1e'))")).toBe("nil");
    expect(evalText("return tostring(tonumber('- 5'))")).toBe("nil");
    expect(evalText("return tostring(tonumber('nan', 10))")).toBe("nan");
  });

  it("prints NaN with its sign as glibc does: 0/0 is -nan, its negation nan", () => {
    expect(evalText("return tostring(0/0)")).toBe("-nan");
    expect(evalText("return tostring(-(0/0))")).toBe("nan");
    expect(evalText("return tostring(-tonumber('nan'))")).toBe("-nan");
    expect(evalText("return string.format('%f|%g|%.0f', 0/0, -(0/0), tonumber('nan'))")).toBe("-nan|nan|nan");
  });

  it("passes a NaN argument to a command as text, so Redis rejects or stores it", () => {
    const { run, error } = simRedis();
    expect(error("EVAL", "return redis.call('ZRANGE', 'k', 0, tonumber('nan'))", 0)).toMatch(/^ERR value is not an integer or out of range script: /);
    expect(run("EVAL", "return redis.call('SET', 'k', tonumber('nan'))", 0)).toBe("OK");
    expect(run("GET", "k")).toBe("nan");
  });

  it("errors of the Lua 5.1 stand-ins point at the script's line, not the prelude's", () => {
    const { error } = simRedis();
    expect(error("EVAL", "local x = tonumber()\nreturn x", 0)).toMatch(/^ERR user_script:1: bad argument #1 to 'tonumber' \(value expected\) script: [0-9a-f]{40}, on @user_script:1\.$/);
    expect(error("EVAL", "\nlocal x = math.floor('x') return x", 0)).toMatch(/^ERR user_script:2: bad argument #1 to 'floor' \(number expected, got string\) script: [0-9a-f]{40}, on @user_script:2\.$/);
  });
});

describe("scores and score ranges (strtod, as Redis 7.0 calls it)", () => {
  it("ZADD and ZINCRBY read hex numerals and infinity, and reject NaN, spaces and overflow (string2d)", () => {
    const { run, error } = simRedis();
    expect(run("ZADD", "z", "0x1f", "a", "0x1p3", "b", "0X.8", "c", "-Infinity", "d", "4.9e-324", "e")).toBe(5);
    expect(run("ZINCRBY", "z", "0x10", "a")).toBe("47");
    for (const bad of ["1e400", "1e-400", "nan", " 1", "1 ", "0x", "2.5e", "1_0", ""]) {
      expect(error("ZADD", "z", bad, "x"), bad).toBe("ERR value is not a valid float");
    }
    expect(run("ZRANGE", "z", 0, -1, "WITHSCORES")).toEqual(["d", "-inf", "e", "4.9406564584124654e-324", "c", "0.5", "b", "8", "a", "47"]);
  });

  it("range bounds take what strtod takes: hex, leading spaces, overflow, an empty bound as 0; not NaN", () => {
    const { run, error } = simRedis();
    run("ZADD", "z", 0, "zero", 5, "five", 31, "big");
    expect(run("ZRANGEBYSCORE", "z", "0x1", "(0x1f")).toEqual(["five"]);
    expect(run("ZRANGEBYSCORE", "z", " 5", "1e400")).toEqual(["five", "big"]);
    expect(run("ZRANGEBYSCORE", "z", "(", "+inf")).toEqual(["five", "big"]);
    expect(run("ZCOUNT", "z", "", "")).toBe(1);
    expect(error("ZRANGEBYSCORE", "z", "nan", "1")).toBe("ERR min or max is not a float");
    expect(error("ZRANGEBYSCORE", "z", "5 ", "+inf")).toBe("ERR min or max is not a float");
  });
});

describe("string.format as Lua 5.1 formats doubles", () => {
  const evalText = (body: string) => simRedis().run("EVAL", body, 0);

  it("casts integer conversions to a C long: precision, flags, unsigned wrap, out-of-range values", () => {
    expect(evalText("return string.format('%d|%5.3d|%-5d|%05d|%+d|%i', 3.9, 7, 7, 42, 5, 1795676120616)")).toBe("3|  007|7    |00042|+5|1795676120616");
    expect(evalText("return string.format('%u|%x|%o|%#x|%#o|%X', -1, -1, -8, 255, 8, 2^63 + 2^20)")).toBe(
      "18446744073709551615|ffffffffffffffff|1777777777777777777770|0xff|010|8000000000100000",
    );
    expect(evalText("return string.format('%d|%x|%u|%u', 2^63, 1/0, 2^64, 0/0)")).toBe("-9223372036854775808|0|0|9223372036854775808");
    expect(evalText("return string.format('%c%c', 72.7, 105)")).toBe("Hi");
  });

  it("keeps Lua's format errors, in the script's frame even from a tail call", () => {
    const { error } = simRedis();
    expect(error("EVAL", "return string.format('%d')", 0)).toMatch(/^ERR user_script:1: bad argument #2 to 'format' \(no value\) script: /);
    expect(error("EVAL", "return string.format('%123f', 1)", 0)).toMatch(/^ERR user_script:1: invalid format \(width or precision too long\) script: /);
    expect(error("EVAL", "return math.floor('x')", 0)).toMatch(/^ERR user_script:1: bad argument #1 to 'floor' \(number expected, got string\) script: /);
  });
});
