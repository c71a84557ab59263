import fc from "fast-check";
import type { Command } from "./command.ts";
import type { LuaMode } from "../lua/scripting.ts";
import { CONFORMANCE_SCRIPTS, LUA51_ONLY_SCRIPTS } from "./scripts.ts";

/**
 * Random command sequences over the commands the servers use. Alphabets are tiny so that keys, members and
 * types collide (WRONGTYPE, overwrites, emptied collections); numbers include invalid and edge values.
 */
const key = fc.constantFrom("k1", "k2", "k3");
const member = fc.constantFrom("a", "b", "c", "d");
const value = fc.constantFrom("v", "0", "1", "10", "-5", "abc", "3.5", "", "9223372036854775807", "01", "é☃x", " 7", "nan", "-inf", "0x1f");
const integer = fc.constantFrom("0", "1", "2", "3", "-1", "-2", "5", "100", "x", "1.5");
const score = fc.constantFrom("1", "2", "2.5", "0.1", "-1", "1e3", "inf", "-inf", "+inf", "1700000000000", "x", "nan", "0x1f", "1e400", " 1");
const bound = fc.constantFrom("1", "2", "(1", "(2.5", "-inf", "+inf", "(-inf", "0.1", "x", "10", "0x2", "(", "", "1e400");
const ttl = fc.constantFrom("100", "1000", "0", "-1", "x");
const pttl = fc.constantFrom("50000", "900000", "0", "-5");
const pattern = fc.constantFrom("*", "k*", "k[12]", "k?", "*3", "x*", "k\\1", "[^k]*");
// Not "none": Redis 7.0 quirkily returns just-expired keys for SCAN TYPE none, which the engine does not copy.
const typeName = fc.constantFrom("string", "set", "hash", "zset", "list", "stream");

/** Names and options in random case: Redis is case-insensitive about both. */
function cased(text: string): fc.Arbitrary<string> {
  return fc.constantFrom(text, text.toLowerCase(), text[0] + text.slice(1).toLowerCase());
}

function command(name: string, ...args: fc.Arbitrary<string | string[]>[]): fc.Arbitrary<Command> {
  return fc.tuple(cased(name), ...args).map(([casedName, ...parts]) => ({
    name: casedName,
    args: parts.flat(),
  }));
}

const optional = <T>(arb: fc.Arbitrary<T[]>) => fc.option(arb, { nil: [] as T[] }).map((x) => x);
const some = <T>(arb: fc.Arbitrary<T>, max = 3) => fc.array(arb, { minLength: 1, maxLength: max });
const group = (...parts: fc.Arbitrary<string>[]) => fc.tuple(...parts);
const options = (...choices: fc.Arbitrary<string[]>[]) =>
  fc.array(fc.oneof(...choices), { maxLength: 3 }).map((picked) => picked.flat());

const setOptions = options(
  group(cased("NX")),
  group(cased("XX")),
  group(cased("GET")),
  group(cased("KEEPTTL")),
  group(cased("EX"), ttl),
  group(cased("PX"), pttl),
  group(cased("PXAT"), fc.constant("1")),
);

const zaddFlags = fc
  .subarray(["NX", "XX", "GT", "LT", "CH", "INCR"], { maxLength: 2 })
  .chain((flags) => fc.tuple(...flags.map(cased)))
  .map((flags) => flags as string[]);
const pairs = <A, B>(a: fc.Arbitrary<A>, b: fc.Arbitrary<B>, max = 3) =>
  fc.array(fc.tuple(a, b), { minLength: 1, maxLength: max }).map((list) => list.flat() as string[]);

const zrangeOptions = options(
  group(cased("WITHSCORES")),
  group(cased("REV")),
  group(cased("BYSCORE")),
  group(cased("LIMIT"), integer, integer),
);

/** Script calls; the interpreted path (fengari, Lua 5.3) is not asked what only Lua 5.1 answers. */
const scriptCall = (lua: LuaMode) =>
  fc
  .tuple(
    cased("EVAL"),
    fc.constantFrom(...CONFORMANCE_SCRIPTS, ...(lua === "compiled" ? LUA51_ONLY_SCRIPTS : [])),
    fc.array(key, { maxLength: 2 }),
    fc.array(value, { maxLength: 2 }),
  )
  .map(([name, body, keys, argv]) => ({
    name,
    // Every script reads KEYS[1]; give it one unless the run wants the "no keys" path.
    args: [body, String(Math.max(keys.length, 1)), ...(keys.length ? keys : ["k1"]), ...argv],
  }));

export const commandArbitraryFor = (lua: LuaMode): fc.Arbitrary<Command> => fc.oneof(
  // strings and keys
  command("SET", key, value, setOptions),
  command("GET", key),
  command("SETNX", key, value),
  command("INCR", key),
  command("INCRBY", key, integer),
  command("DECR", key),
  command("MGET", some(key)),
  command("DEL", some(key)),
  command("EXISTS", some(key)),
  command("TYPE", key),
  command("EXPIRE", key, ttl, optional(fc.tuple(cased("NX")).map((x) => x as string[]))),
  command("EXPIRE", key, ttl, fc.constantFrom(["XX"], ["GT"], ["lt"], ["NX", "XX"], ["FOO"], [])),
  command("PEXPIRE", key, pttl),
  command("TTL", key),
  command("PTTL", key),
  command("PERSIST", key),
  command("SCAN", fc.constant("0"), options(group(cased("MATCH"), pattern), group(cased("TYPE"), typeName)), fc.constant(["COUNT", "1000"])),
  command("KEYS", pattern),
  command("PING", optional(fc.tuple(value).map((x) => x as string[]))),
  command("ECHO", value),
  // What INFO's text holds beyond the server section's shape is each process's own (compare.ts).
  command("INFO", fc.constantFrom([], ["server"], ["nosuch"])),
  // sets
  command("SADD", key, some(member)),
  command("SREM", key, some(member)),
  command("SCARD", key),
  command("SISMEMBER", key, member),
  command("SMEMBERS", key),
  command("SPOP", key, optional(fc.tuple(integer).map((x) => x as string[]))),
  command("SRANDMEMBER", key, optional(fc.tuple(integer).map((x) => x as string[]))),
  // hashes
  command("HSET", key, pairs(member, value)),
  command("HGET", key, member),
  command("HGETALL", key),
  command("HDEL", key, some(member)),
  command("HEXISTS", key, member),
  command("HLEN", key),
  command("HKEYS", key),
  command("HVALS", key),
  command("HMGET", key, some(member)),
  command("HINCRBY", key, member, integer),
  command("HSETNX", key, member, value),
  // sorted sets
  command("ZADD", key, zaddFlags, pairs(score, member, 2)),
  command("ZREM", key, some(member)),
  command("ZCARD", key),
  command("ZSCORE", key, member),
  command("ZRANK", key, member),
  command("ZRANGE", key, fc.oneof(integer, bound), fc.oneof(integer, bound), zrangeOptions),
  command("ZRANGEBYSCORE", key, bound, bound, options(group(cased("WITHSCORES")), group(cased("LIMIT"), integer, integer))),
  command("ZPOPMIN", key, optional(fc.tuple(integer).map((x) => x as string[]))),
  // lists
  command("LPUSH", key, some(value)),
  command("RPUSH", key, some(value)),
  command("LPOP", key, optional(fc.tuple(integer).map((x) => x as string[]))),
  command("RPOP", key, optional(fc.tuple(integer).map((x) => x as string[]))),
  command("LRANGE", key, integer, integer),
  command("LLEN", key),
  // extras the engine implements beyond the servers' needs
  command("DECRBY", key, integer),
  command("GETDEL", key),
  command("SETEX", key, ttl, value),
  command("PSETEX", key, pttl, value),
  command("APPEND", key, value),
  command("STRLEN", key),
  command("UNLINK", some(key)),
  command("DBSIZE"),
  command("EXPIREAT", key, fc.constantFrom("1", "0", "x")),
  command("SMISMEMBER", key, some(member)),
  command("HMSET", key, pairs(member, value)),
  command("HSTRLEN", key, member),
  command("ZINCRBY", key, score, member),
  command("ZREVRANGE", key, integer, integer, optional(fc.tuple(cased("WITHSCORES")).map((x) => x as string[]))),
  command("ZREVRANGEBYSCORE", key, bound, bound, options(group(cased("WITHSCORES")), group(cased("LIMIT"), integer, integer))),
  command("ZRANGE", key, fc.constantFrom("-", "[a", "(b", "[c"), fc.constantFrom("+", "[c", "(d", "[a"), fc.constant(["BYLEX"]), options(group(cased("REV")), group(cased("LIMIT"), integer, integer))),
  command("ZRANGEBYLEX", key, fc.constantFrom("-", "[a", "(b", "x"), fc.constantFrom("+", "[c", "(d")),
  command("ZCOUNT", key, bound, bound),
  command("ZREMRANGEBYSCORE", key, bound, bound),
  command("ZREVRANK", key, member),
  command("ZPOPMAX", key, optional(fc.tuple(integer).map((x) => x as string[]))),
  command("ZMSCORE", key, some(member)),
  command("LINDEX", key, integer),
  // scripts and malformed calls
  scriptCall(lua),
  scriptCall(lua),
  scriptCall(lua),
  command("GET"),
  command("HSET", key, member),
  command("NOSUCHCOMMAND", key),
);

export const commandArbitrary = commandArbitraryFor("compiled");

export const sequenceArbitrary = (maxLength = 25, lua: LuaMode = "compiled"): fc.Arbitrary<Command[]> =>
  fc.array(lua === "compiled" ? commandArbitrary : commandArbitraryFor(lua), { minLength: 1, maxLength });
