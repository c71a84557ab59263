import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LuaRuntime } from "../../sim/redis/lua/runtime.ts";
import { simRedis } from "./harness.ts";

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const evalScript = (run: ReturnType<typeof simRedis>["run"], body: string, keys: string[] = [], args: (string | number)[] = []) =>
  run("EVAL", body, keys.length, ...keys, ...args);

describe("Lua -> Redis conversion", () => {
  it("numbers truncate toward zero, booleans become 1 / nil, nil is nil", () => {
    const { run } = simRedis();
    expect(evalScript(run, "return 3.99")).toBe(3);
    expect(evalScript(run, "return -3.99")).toBe(-3);
    expect(evalScript(run, "return 7")).toBe(7);
    expect(evalScript(run, "return true")).toBe(1);
    expect(evalScript(run, "return false")).toBeNull();
    expect(evalScript(run, "return nil")).toBeNull();
    expect(evalScript(run, "return 'text'")).toBe("text");
  });

  it("tables become arrays up to the first nil; hash parts are ignored; nested tables convert", () => {
    const { run } = simRedis();
    expect(evalScript(run, "return {1, 'two', {3, {ok='FINE'}}, nil, 5}")).toEqual([1, "two", [3, "FINE"]]);
    expect(evalScript(run, "return {a=1, b=2}")).toEqual([]);
    expect(evalScript(run, "return {1.5, true, false, 4}")).toEqual([1, 1, null, 4]);
  });

  it("{ok=} is a status and {err=} an error reply", () => {
    const { run, error } = simRedis();
    expect(evalScript(run, "return {ok='FINE'}")).toBe("FINE");
    expect(evalScript(run, "return redis.status_reply('DONE')")).toBe("DONE");
    expect(error("EVAL", "return {err='MYERR bad thing'}", 0)).toBe("MYERR bad thing");
    expect(error("EVAL", "return redis.error_reply('My Error')", 0)).toBe("My Error");
    expect(error("EVAL", "return redis.error_reply('oops')", 0)).toBe("ERR oops");
  });

  it("runtime errors carry Redis 7's user_script prefix and location", () => {
    const { error } = simRedis();
    const boom = "error('boom')";
    expect(error("EVAL", boom, 0)).toBe(`ERR user_script:1: boom script: ${sha1(boom)}, on @user_script:1.`);
    const arith = "local x\nreturn x + 1";
    expect(error("EVAL", arith, 0)).toMatch(/^ERR user_script:2: attempt to perform arithmetic on a nil value/);
    expect(error("EVAL", "return 1 +", 0)).toBe(
      "ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'",
    );
  });
});

describe("Redis -> Lua conversion", () => {
  it("integers are Lua integers (no '1.0'), nil bulk is false, status is {ok=}", () => {
    const { run } = simRedis();
    run("SET", "n", "41");
    expect(evalScript(run, "return 'v' .. redis.call('INCR', KEYS[1])", ["n"])).toBe("v42");
    expect(evalScript(run, "return tostring(redis.call('GET', 'missing'))")).toBe("false");
    expect(evalScript(run, "return redis.call('SET', 'k', 'v').ok")).toBe("OK");
    expect(evalScript(run, "return redis.call('PING')")).toBe("PONG");
    expect(evalScript(run, "return type(redis.call('HGETALL', 'none'))")).toBe("table");
  });

  it("integral floats print like Lua 5.1", () => {
    const { run } = simRedis();
    expect(evalScript(run, "return tostring(10 / 2)")).toBe("5");
    expect(evalScript(run, "return 'x' .. 1.5")).toBe("x1.5");
  });

  it("numbers are Lua 5.1 doubles: millisecond timestamps survive arithmetic, %d and tostring", () => {
    const { run } = simRedis();
    expect(evalScript(run, "return tonumber(ARGV[1]) * 1000 + 1", [], ["1700000000"])).toBe(1700000000001);
    expect(evalScript(run, "return string.format('%d|%5d|%.0f|%%', 1.7e12, 42, 1.7e12 + 5)")).toBe("1700000000000|   42|1700000000005|%");
    expect(evalScript(run, "return {tostring(1e15), tostring(2^63), tostring(1e-5), tostring(0/0)}")).toEqual([
      "1e+15",
      "9.2233720368548e+18",
      "1e-05",
      "-nan",
    ]);
    expect(evalScript(run, "return tostring(tonumber(ARGV[1]) % 5)", [], ["9223372036854775807"])).toBe("0");
    expect(evalScript(run, "return 'f' .. math.floor(3.7)")).toBe("f3");
    run("SET", "ts", "1699999999999");
    expect(evalScript(run, "return redis.call('INCR', 'ts') + 1")).toBe(1700000000001);
  });

  it("KEYS and ARGV are strings; numbers passed to redis.call format like Redis", () => {
    const { run } = simRedis();
    expect(evalScript(run, "return {type(KEYS[1]), type(ARGV[1]), ARGV[1]}", ["k"], [12])).toEqual(["string", "string", "12"]);
    evalScript(run, "redis.call('SET', 'a', 0.1); redis.call('SET', 'b', 3); redis.call('SET', 'c', 10/2)");
    expect(run("MGET", "a", "b", "c")).toEqual(["0.10000000000000001", "3", "5"]);
  });
});

describe("redis.call and redis.pcall errors", () => {
  it("redis.call raises with the command's error; pcall in Lua sees the message", () => {
    const { run, error } = simRedis();
    run("SET", "s", "abc");
    const body = "return redis.call('INCR', 's')";
    expect(error("EVAL", body, 0)).toBe(
      `ERR value is not an integer or out of range script: ${sha1(body)}, on @user_script:1.`,
    );
    expect(evalScript(run, "local ok, e = pcall(redis.call, 'INCR', 's') return {tostring(ok), e}")).toEqual([
      "false",
      "ERR value is not an integer or out of range",
    ]);
    expect(error("EVAL", "return redis.pcall('INCR', 's')", 0)).toBe("ERR value is not an integer or out of range");
    expect(evalScript(run, "return redis.pcall('INCR', 's').err")).toBe("ERR value is not an integer or out of range");
  });

  it("script-only errors: unknown command, arity, forbidden commands, bad arguments", () => {
    const { error } = simRedis();
    expect(error("EVAL", "return redis.call('NOPE')", 0)).toMatch(/^ERR Unknown Redis command called from script script: /);
    expect(error("EVAL", "return redis.call('GET')", 0)).toMatch(/^ERR Wrong number of args calling Redis command from script/);
    expect(error("EVAL", "return redis.call('EVAL', 'return 1', 0)", 0)).toMatch(/^ERR This Redis command is not allowed from script/);
    expect(error("EVAL", "return redis.call('SET', 'a', true)", 0)).toMatch(
      /^ERR Lua redis lib command arguments must be strings or integers/,
    );
  });

  it("globals are protected", () => {
    const { error } = simRedis();
    expect(error("EVAL", "x = 1", 0)).toMatch(/^ERR user_script:1: Attempt to modify a readonly table script: /);
    expect(error("EVAL", "return y", 0)).toMatch(
      /^ERR user_script:1: Script attempted to access nonexistent global variable 'y' script: /,
    );
  });
});

describe("script cache", () => {
  it("SCRIPT LOAD / EXISTS / FLUSH and EVALSHA with NOSCRIPT", () => {
    const { run, error } = simRedis();
    const body = "return ARGV[1] .. KEYS[1]";
    const sha = run("SCRIPT", "LOAD", body);
    expect(sha).toBe(sha1(body));
    expect(run("EVALSHA", sha as string, 1, "k", "v")).toBe("vk");
    expect(run("EVALSHA", (sha as string).toUpperCase(), 1, "k", "v")).toBe("vk");
    expect(run("SCRIPT", "EXISTS", sha as string, "0".repeat(40))).toEqual([1, 0]);
    expect(run("script", "flush")).toBe("OK");
    expect(error("EVALSHA", sha as string, 0)).toBe("NOSCRIPT No matching script. Please use EVAL.");
    run("EVAL", body, 1, "a", "b");
    expect(run("SCRIPT", "EXISTS", sha as string)).toEqual([1]);
    expect(error("EVAL", body, 2, "a")).toBe("ERR Number of keys can't be greater than number of args");
    expect(error("EVAL", body, -1)).toBe("ERR Number of keys can't be negative");
    expect(error("SCRIPT", "NOPE")).toBe("ERR unknown subcommand 'NOPE'. Try SCRIPT HELP.");
  });

  it("scripts are atomic and see their own writes", () => {
    const { run } = simRedis();
    const body = "redis.call('SADD', KEYS[1], ARGV[1]); return redis.call('SCARD', KEYS[1])";
    expect(run("EVAL", body, 1, "s", "a")).toBe(1);
    expect(run("EVAL", body, 1, "s", "b")).toBe(2);
  });
});

describe("Lua libraries", () => {
  it("cjson encodes like lua-cjson (escaped '/', empty table is {}, arrays, sparse arrays rejected)", () => {
    const { run, error } = simRedis();
    expect(evalScript(run, "return cjson.encode({1, 2.5, 'a/b', true})")).toBe('[1,2.5,"a\\/b",true]');
    expect(evalScript(run, "return cjson.encode({})")).toBe("{}");
    expect(evalScript(run, "return cjson.encode({x={y=1}})")).toBe('{"x":{"y":1}}');
    expect(evalScript(run, "return cjson.encode({[1]=1,[3]=3})")).toBe("[1,null,3]");
    expect(error("EVAL", "return cjson.encode({1,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,nil,13})", 0)).toMatch(
      /^ERR user_script:1: Cannot serialise table: excessively sparse array/,
    );
  });

  it("cjson decodes objects, arrays and null", () => {
    const { run } = simRedis();
    expect(evalScript(run, "local t = cjson.decode(ARGV[1]) return {t.a, t.b[2], tostring(t.c == cjson.null)}", [], ['{"a":"x","b":[1,2],"c":null}'])).toEqual(["x", 2, "true"]);
    expect(evalScript(run, "return cjson.encode(cjson.decode(ARGV[1]))", [], ['[1,2.5,null,"x"]'])).toBe('[1,2.5,null,"x"]');
  });

  it("Lua 5.1 names exist, os does not, sha1hex works", () => {
    const { run, error } = simRedis();
    expect(evalScript(run, "return {unpack({1, 2})}")).toEqual([1, 2]);
    expect(evalScript(run, "return table.getn({1, 2, 3})")).toBe(3);
    expect(evalScript(run, "return redis.sha1hex('abc')")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(error("EVAL", "return os.time()", 0)).toMatch(/nonexistent global variable 'os'/);
  });

  it("math.random draws from the engine's seed", () => {
    const draw = (seed: string) => {
      const { run } = simRedis(seed);
      return Array.from({ length: 5 }, () => run("EVAL", "return math.random(1000000)", 0));
    };
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
    const { run } = simRedis();
    expect(run("EVAL", "local r = math.random() return (r >= 0 and r < 1) and 1 or 0", 0)).toBe(1);
  });
});

describe("engine failures inside scripts", () => {
  it("a JS exception from a command escapes the script even when Lua pcall catches it", () => {
    const runtime = new LuaRuntime();
    const buggy = {
      call: () => {
        throw new TypeError("engine bug");
      },
      random: () => 0.5,
    };
    runtime.compile("caught", "local ok = pcall(redis.call, 'GET', 'x') return 1");
    expect(() => runtime.run("caught", [], [], buggy)).toThrow(TypeError);
    runtime.compile("fine", "return 2");
    expect(runtime.run("fine", [], [], buggy)).toBe(2);
  });
});
