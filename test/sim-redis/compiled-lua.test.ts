import fc from "fast-check";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { normalizeError } from "../../sim/redis/conformance/compare.ts";
import { CONFORMANCE_SCRIPTS } from "../../sim/redis/conformance/scripts.ts";
import { createSimulatedRedis, RedisCommandError } from "../../sim/redis/index.ts";
import { CompiledScripts } from "../../sim/redis/lua/compiled/compiled-scripts.ts";
import { sharedLuaRuntime } from "../../sim/redis/lua/runtime.ts";
import { SCRIPTS } from "../../src/fixed/scripts.ts";
import { LOADING_COMPLETE_SCRIPT, MATCH_SCRIPT, RELEASE_LOCK_SCRIPT } from "../../src/legacy/scripts.ts";
import { T0 } from "./harness.ts";

/** Lua that exercises what the compiler translates; each runs on both paths and must answer the same. */
const PROGRAMS = [
  "local function f(...) return select('#', ...), ... end return {f(1, nil, 3)}",
  "local function f() return 1, 2, 3 end return {f(), f()}",
  "local function f() return 1, 2 end return {(f())}",
  "local function f() end return {select('#', f()), select('#', (f()))}",
  "local t = {} for i = 1, 10 do t[#t + 1] = i * i end return t",
  "local t = {} for i = 10, 1, -3 do table.insert(t, i) end return t",
  "local t = {} for i = 1, 3, 0.5 do t[#t + 1] = tostring(i) end return t",
  "local t = {'a', 'b', 'c'} table.insert(t, 2, 'x') table.insert(t, 'z') return t",
  "local t = {'a', 'b', 'c', 'd'} local r = table.remove(t, 2) return {r, table.remove(t), unpack(t)}",
  "local t = {5, 3, 9, 1, 7, 3, 8} table.sort(t) return t",
  "local t = {'pear', 'apple', 'fig', 'kiwi'} table.sort(t, function(a, b) return #a < #b end) return t",
  "local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return table.concat(t, ',')",
  "return table.concat({1, 2.5, 'x'}, '-', 2, 3)",
  "local fs = {} for i = 1, 3 do fs[i] = function() return i end end return {fs[1](), fs[2](), fs[3]()}",
  "local n = 0 local function inc() n = n + 1 return n end inc() inc() return inc()",
  "local t = {a = 1, b = 2, 10, 20} local keys = {} for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. '=' .. tostring(v) end table.sort(keys) return keys",
  "local out = {} for i, v in ipairs({'x', 'y', nil, 'z'}) do out[#out + 1] = i .. v end return out",
  "local i = 0 repeat local j = i i = i + 1 until j >= 3 return i",
  "local i, s = 0, 0 while true do i = i + 1 if i > 5 then break end s = s + i end return s",
  "local a, b, c = (function() return 1, 2 end)() return {a, b, tostring(c)}",
  "local a, b = 1 return {a, tostring(b)}",
  "local x, y = 1, 2 x, y = y, x return {x, y}",
  "local t = {} t.a, t.b = 1, 2 return {t.a, t.b}",
  "return {1 and 2, tostring(nil and 1), false or 'd', tostring(nil or false)}",
  "return {10 % 3, -10 % 3, 10 % -3, 5.5 % 2, 2 ^ 10, 7 / 2}",
  "return {tostring(1e15), tostring(1e16), tostring(0.1), tostring(1/0), tostring(-1/0)}",
  "return tostring(-0.0)",
  "return {'10' + 5, '3' * '4', 10 .. 20, 1.5 .. ''}",
  "return {tostring(1 < 2), tostring('a' < 'b'), tostring('Z' < 'a'), tostring(2 >= 2)}",
  "return {#'hello', string.len('abc'), ('x'):rep(3), ('Hello'):upper(), ('Hello'):lower()}",
  "return {string.sub('hello', 2, -2), string.sub('hello', -3), string.sub('hello', 0), string.sub('hello', 10)}",
  "return {string.byte('ABC', 1, -1)}",
  "return string.char(72, 105)",
  "return string.format('%5.2f|%-5d|%05d|%x|%X|%o|%e|%g|%s|%q', 3.14159, 42, 42, 255, 255, 8, 12345.678, 0.0001, 'str', 'a\"b')",
  "return string.format('%d %s %%', 1e15, 12.5)",
  "return {string.find('hello world', 'o w'), string.find('hello', 'l+'), string.find('a.b', '.', 1, true)}",
  "return {string.match('key=value', '(%w+)=(%w+)')}",
  "local out = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do out[#out + 1] = k .. v end return out",
  "return {string.gsub('hello world', 'o', '0')}",
  "return {string.gsub('hello', '(l)', '%1%1', 1)}",
  "return {string.gsub('abc', '%w', function(c) return c:upper() .. '.' end)}",
  "return {string.gsub('$name is $age', '%$(%w+)', {name = 'bob', age = 7})}",
  "return {tonumber('0x10'), tonumber('  12  '), tostring(tonumber('12a')), tonumber('ff', 16), tonumber('777', 8), tonumber('1e2')}",
  "return {type(nil), type(1), type('s'), type({}), type(print == nil), type(type)}",
  "local ok, err = pcall(error, 'plain') return {tostring(ok), err}",
  "local ok, err = pcall(function() error('inside') end) return {tostring(ok), err}",
  "local ok, err = pcall(function() error({code = 7}) end) return {tostring(ok), type(err), err.code}",
  "local ok, err = pcall(function() local x = nil return x.y end) return {tostring(ok), (string.gsub(err, 'attempt to .*', 'attempt'))}",
  "local ok, a, b = pcall(function(x, y) return x + y, x * y end, 3, 4) return {tostring(ok), a, b}",
  "local ok, err = pcall(redis.call, 'INCR', KEYS[1]) return {tostring(ok), tostring(err)}",
  "local r = redis.pcall('INCR', KEYS[1]) return type(r) == 'table' and (r.err or 'no err') or r",
  "return redis.call('HGETALL', KEYS[1])",
  "redis.call('DEL', KEYS[1]) redis.call('RPUSH', KEYS[1], 'a', 'b', ARGV[1]) return redis.call('LRANGE', KEYS[1], 0, -1)",
  "redis.call('SET', KEYS[1], ARGV[1]) return {redis.call('GET', KEYS[1]), redis.call('STRLEN', KEYS[1]), #ARGV[1]}",
  "return cjson.encode({1, 2, {a = 'x'}, 'é'})",
  "local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}') return {t.a[1], t.a[2], t.c, tostring(t.a[3].b == cjson.null)}",
  "return {math.floor(-3.5), math.ceil(-3.5), math.max(1, 5, 3), math.min(4, 2, 8), math.abs(-2), math.fmod(7, 3), math.huge > 0 and 1 or 0}",
  "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.x",
  "return _G.tostring(5)",
  "local t = {} t[1] = 'a' t[2] = 'b' t[2] = nil return {#t, t[1]}",
  "local t = {n = 0} function t.add(self, x) self.n = self.n + x return self end function t:twice(x) return self:add(x):add(x) end return t:twice(5).n",
  "local s = 0 for _, v in ipairs(KEYS) do s = s + #v end for _, v in ipairs(ARGV) do s = s + #v end return s",
  "return next({})",
  "local k, v = next({10}) return {k, v}",
  "local t = {1, 2, 3} return {unpack(t, 2)}",
  "return {select(-1, 'a', 'b', 'c')}",
  "return {rawequal('a', 'a'), rawget({5}, 1)}",
  "local x = ARGV[1] if x == 'a' then return 1 elseif x == 'b' then return 2 else return 3 end",
  "do local x = 1 end return x",
  "local a = {} a[1.0] = 'one' a[2] = 'two' return {a[1], #a}",
  "return #{1, 2, nil, 4}",
  "return {nil, nil, 3}",
  "return table.concat({1, {}, 3})",
  "assert(false, 'assertion text')",
  "assert(1 == 1) return 'fine'",
  "error('level zero', 0)",
  "error()",
  "return #nil",
  "return nil .. 'x'",
  "return {} < {}",
  "return 1 < 'x'",
  "local t = nil t.x = 1",
  "local f = 5 f()",
  "return redis.call()",
  "return redis.call('SET', KEYS[1], nil)",
  "return redis.sha1hex(ARGV[1])",
  "return math.random(10)",
  "return string.format('%d', 'x')",
  "return ('abc'):bad()",
  "return tostring({}) == tostring({})",
  "return string.format('%5s|%-5s|%.2s', 'ab', 'ab', 'abc')",
  "local t = {} for i = 1, 5 do t[i] = i end for i = 1, 5 do if i % 2 == 0 then t[i] = nil end end local n = 0 for _ in pairs(t) do n = n + 1 end return n",
];

function engines() {
  const make = (lua: "compiled" | "interpreted") =>
    createSimulatedRedis({ now: () => T0, random: seedrandom("compiled-lua"), lua });
  return { compiled: make("compiled"), interpreted: make("interpreted") };
}

function outcome(engine: ReturnType<typeof createSimulatedRedis>, body: string, keys: string[], argv: string[]) {
  try {
    const reply = engine.execute("EVAL", [body, String(keys.length), ...keys, ...argv]);
    return { reply, data: engine.keys().map((key) => [key, engine.inspect(key)]) };
  } catch (error) {
    if (!(error instanceof RedisCommandError)) throw error;
    return { error: normalizeError(error.message), data: engine.keys().map((key) => [key, engine.inspect(key)]) };
  }
}

describe("compiled Lua agrees with the interpreter", () => {
  it("every program, on generated keys and arguments", () => {
    const text = fc.oneof(fc.constantFrom("a", "b", "5", "-2.5", "0x1f", "", "héllo", "1e3", " 7 "), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.constantFrom(...PROGRAMS), text, text, (body, key, arg) => {
        const { compiled, interpreted } = engines();
        for (const engine of [compiled, interpreted]) {
          engine.execute("HSET", ["h", "f", "v", "g", "w"]);
          engine.execute("SET", ["n", "41"]);
        }
        const keys = [key === "" ? "k" : key];
        expect(outcome(compiled, body, keys, [arg])).toEqual(outcome(interpreted, body, keys, [arg]));
      }),
      { numRuns: 1_500, seed: 7 },
    );
  });

  it("every conformance script, on the same state", () => {
    for (const body of CONFORMANCE_SCRIPTS) {
      for (const [key, arg] of [["n", "5"], ["h", "x"], ["missing", "-1.5"]] as const) {
        const { compiled, interpreted } = engines();
        for (const engine of [compiled, interpreted]) {
          engine.execute("HSET", ["h", "f", "v"]);
          engine.execute("SET", ["n", "41"]);
        }
        expect(outcome(compiled, body, [key], [arg]), body).toEqual(outcome(interpreted, body, [key], [arg]));
      }
    }
  });
});

describe("Lua 5.1 where fengari (Lua 5.3) differs", () => {
  it("error() positions a number, rep has no separator", () => {
    const { compiled } = engines();
    const fail = (body: string) => {
      try {
        compiled.execute("EVAL", [body, "0"]);
      } catch (error) {
        return (error as Error).message.replace(/ script: .*$/, "");
      }
      throw new Error(`${body} did not fail`);
    };
    expect(fail("error(42)")).toBe("ERR user_script:1: 42");
    expect(compiled.execute("EVAL", ["return string.rep('ab', 3, ',')", "0"])).toBe("ababab");
  });

  it("a function's zero constants all take the sign of its first one (Redis 7.0.15 answers the same)", () => {
    const { compiled } = engines();
    const run = (body: string) => compiled.execute("EVAL", [body, "0"]);
    expect(run("return {tostring(-0.0), tostring(1/0), tostring(-1/0)}")).toEqual(["-0", "-inf", "inf"]);
    expect(run("local z = 0 return {tostring(-0), tostring(0 * -1), tostring(0/-1)}")).toEqual(["0", "0", "0"]);
    expect(run("local z = 0 local f = function() return tostring(-0) end return f()")).toBe("-0");
    expect(run("local z = 0 local x = -z return tostring(x)")).toBe("-0");
  });

  it("numeric for, pow and tonumber with a base as in C Lua 5.1", () => {
    const { compiled } = engines();
    const run = (body: string) => compiled.execute("EVAL", [body, "0"]);
    expect(run("local t = {} for i = 0.1, 1, 0.7 do t[#t + 1] = string.format('%.17g', i) end return t")).toEqual(["0.099999999999999978", "0.79999999999999993"]);
    expect(run("return {tostring(1 ^ (0/0)), tostring((-1) ^ (1/0)), tostring(math.pow(1, 0/0))}")).toEqual(["1", "1", "1"]);
    expect(run("return {tonumber('x\\0y', 36), tostring(tonumber('-1', 2)), tostring(tonumber('0x', 16))}")).toEqual([33, "1.844674407371e+19", "nil"]);
  });
});

describe("what is compiled", () => {
  const compiler = new CompiledScripts(sharedLuaRuntime().globalShape());

  it("every server script of both variants compiles (none falls back to the interpreter)", () => {
    const scripts = [...Object.values(SCRIPTS), MATCH_SCRIPT, LOADING_COMPLETE_SCRIPT, RELEASE_LOCK_SCRIPT];
    for (const script of scripts) expect(compiler.compile(`server-${script.name}`, script.source), script.name).not.toBeNull();
  });

  it("scripts reaching what is not translated run on the interpreter, with the same answers", () => {
    for (const body of [
      "return setmetatable({}, {__index = function() return 1 end}).x",
      "return _G.type(1)",
      "local function f() error('deep', 2) end f()",
      "local s = string return s.upper('x')",
    ]) {
      expect(compiler.compile(`fallback-${body}`, body), body).toBeNull();
    }
  });

  it("a script that would print an address prints the same one on every run", () => {
    const { compiled } = engines();
    const body = "return tostring({}) .. tostring(function() end)";
    const first = compiled.execute("EVAL", [body, "0"]);
    expect(compiled.execute("EVAL", [body, "0"])).toBe(first);
  });
});
