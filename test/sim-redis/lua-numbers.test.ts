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
