import { createHash } from "node:crypto";
import { RedisCommandError, type RedisReply } from "../contract.ts";
import { formatDouble } from "../numbers.ts";
import { formatFloatSpec, formatIntegerSpec } from "../printf.ts";
import { Status, type EngineReply } from "../reply.ts";
import { CjsonError, decodeJson, encodeJson, JSON_NULL } from "./cjson.ts";
import {
  fromLuaString,
  lauxlib,
  lua,
  LUA_TBOOLEAN,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  lualib,
  toLuaString,
  type LuaFunction,
  type LuaState,
} from "./fengari.ts";
import { ERROR_HANDLER, PRELUDE } from "./prelude.ts";
import { integerFromLua, NO_HOST, type ScriptHost } from "./script-host.ts";

let shared: LuaRuntime | null = null;

/** The thread's Lua state, created on first use: compiling a script once serves every later run. */
export function sharedLuaRuntime(): LuaRuntime {
  shared ??= new LuaRuntime();
  return shared;
}

/** A conversion in a format string, as Lua's string.format scans it ("%%" included). */
const FORMAT_SPEC = /%[-+ #0]*[0-9]*\.?[0-9]*[A-Za-z%]/g;
/** A conversion Lua accepts (at most 5 flags, 2-digit width and precision); others are left to its error. */
const VALID_SPEC = /^%[-+ #0]{0,5}[0-9]{0,2}(?:\.[0-9]{0,2})?[A-Za-z]$/;

/**
 * fengari deletes the stack slots above the top on every return. Once V8 finds the stack array mostly
 * holes it turns it into a dictionary, and every register access of every script gets several times
 * slower. Slots kept filled at the bottom make V8's sparseness check give up: the array stays fast.
 */
const STACK_FLOOR = 16;

function keepStackFast(L: LuaState): void {
  const state = L as unknown as { stack: unknown[] };
  state.stack = Array.from(state.stack);
}

const ARG_TYPE_ERROR = "ERR Lua redis lib command arguments must be strings or integers";
const NO_ARGS_ERROR = "ERR Please specify at least one argument for this redis lib call";

/**
 * One Lua state, as in Redis: each script body is compiled once into a function kept in the registry, and each
 * call only sets KEYS and ARGV, runs it and converts the reply. Scripts cannot create globals, so a state can
 * serve every engine of a thread in turn (runs are synchronous): each run names the engine it works for.
 */
export class LuaRuntime {
  private readonly L: LuaState;
  private readonly functions = new Map<string, number>();
  private readonly handlerRef: number;
  /**
   * A JS exception that is not a Redis error reply (an engine bug) thrown inside redis.call: Lua unwinds
   * with an error, and the exception is rethrown once the script ends, even if the script caught it.
   */
  private internalFailure: unknown = null;

  private host: ScriptHost = NO_HOST;

  constructor() {
    const L = lauxlib.luaL_newstate();
    this.L = L;
    lualib.luaL_openlibs(L);
    this.installRedisLibrary();
    this.installCjson();
    this.installRandom();
    this.installFormat();
    this.installLua51Numbers();
    this.runChunk(PRELUDE, "=prelude", 0);
    this.runChunk(ERROR_HANDLER, "=handler", 1);
    this.handlerRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.protectGlobals();
    lua.lua_checkstack(L, STACK_FLOOR + 20);
    lua.lua_settop(L, STACK_FLOOR);
    keepStackFast(L);
  }

  /** Compiles a body once; throws Redis's "Error compiling script" reply on a syntax error. */
  compile(sha: string, body: string): void {
    if (this.functions.has(sha)) return;
    const L = this.L;
    const source = toLuaString(body);
    if (lauxlib.luaL_loadbuffer(L, source, source.length, "@user_script") !== lua.LUA_OK) {
      // Lua 5.1 quotes the end-of-input token, Lua 5.3 does not.
      const message = this.popString().replace(/ near <eof>$/, " near '<eof>'");
      throw new RedisCommandError(`ERR Error compiling script (new function): ${message}`);
    }
    this.functions.set(sha, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
  }

  run(sha: string, keys: readonly string[], argv: readonly string[], host: ScriptHost): RedisReply {
    const ref = this.functions.get(sha);
    if (ref === undefined) throw new Error(`script ${sha} not compiled`);
    const L = this.L;
    lua.lua_settop(L, STACK_FLOOR);
    this.host = host;
    try {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.handlerRef);
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      lua.lua_pushglobaltable(L);
      this.setArray("KEYS", keys);
      this.setArray("ARGV", argv);
      lua.lua_pop(L, 1);
      const status = lua.lua_pcall(L, 0, 1, STACK_FLOOR + 1);
      if (this.internalFailure !== null) {
        const failure = this.internalFailure;
        this.internalFailure = null;
        throw failure;
      }
      if (status !== lua.LUA_OK) throw new RedisCommandError(this.describeError(sha));
      return this.toRedis(lua.lua_gettop(L));
    } finally {
      lua.lua_settop(L, STACK_FLOOR);
      this.host = NO_HOST;
    }
  }

  /**
   * The globals scripts see, each with its member names when it is a table: what the compiled path must
   * either implement or leave to this interpreter.
   */
  globalShape(): Map<string, string[] | null> {
    const L = this.L;
    const shape = new Map<string, string[] | null>();
    lua.lua_pushglobaltable(L);
    const globals = lua.lua_gettop(L);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, globals) !== 0) {
      const name = this.stringAt(-2);
      if (name !== null) {
        const members: string[] = [];
        if (lua.lua_type(L, -1) === LUA_TTABLE) {
          const table = lua.lua_gettop(L);
          lua.lua_pushnil(L);
          while (lua.lua_next(L, table) !== 0) {
            const member = this.stringAt(-2);
            if (member !== null) members.push(member);
            lua.lua_pop(L, 1);
          }
          shape.set(name, members);
        } else shape.set(name, null);
      }
      lua.lua_pop(L, 1);
    }
    lua.lua_pop(L, 1);
    return shape;
  }

  private setArray(name: string, values: readonly string[]): void {
    const L = this.L;
    lua.lua_pushstring(L, name);
    lua.lua_createtable(L, values.length, 0);
    for (let i = 0; i < values.length; i++) {
      lua.lua_pushstring(L, toLuaString(values[i] as string));
      lua.lua_rawseti(L, -2, i + 1);
    }
    lua.lua_rawset(L, -3);
  }

  /** The error value left by the message handler, formatted as Redis 7.0 replies with it. */
  private describeError(sha: string): string {
    const L = this.L;
    const top = lua.lua_gettop(L);
    if (lua.lua_type(L, top) !== LUA_TTABLE) return `ERR ${this.stringAt(top) ?? "unknown error"}`;
    const message = this.field(top, "err") ?? "ERR unknown error";
    const source = this.field(top, "source");
    const line = this.field(top, "line");
    return source !== null && line !== null ? `${message} script: ${sha}, on ${source}:${line}.` : message;
  }

  private field(index: number, name: string): string | null {
    const L = this.L;
    lua.lua_pushstring(L, name);
    lua.lua_rawget(L, index);
    const value = this.stringAt(lua.lua_gettop(L));
    lua.lua_pop(L, 1);
    return value;
  }

  private stringAt(index: number): string | null {
    const L = this.L;
    const type = lua.lua_type(L, index);
    if (type === LUA_TNUMBER) return lua.lua_isinteger(L, index) ? String(lua.lua_tointeger(L, index)) : formatDouble(lua.lua_tonumber(L, index), 14);
    if (type !== LUA_TSTRING) return null;
    return fromLuaString(lua.lua_tostring(L, index) as Uint8Array);
  }

  private popString(): string {
    const text = this.stringAt(lua.lua_gettop(this.L)) ?? "unknown error";
    lua.lua_pop(this.L, 1);
    return text;
  }

  /** Lua -> Redis, as Redis 7.0 converts a script's return value. */
  private toRedis(index: number): RedisReply {
    const L = this.L;
    switch (lua.lua_type(L, index)) {
      case LUA_TSTRING:
        return fromLuaString(lua.lua_tostring(L, index) as Uint8Array);
      case LUA_TNUMBER:
        return lua.lua_isinteger(L, index) ? lua.lua_tointeger(L, index) : integerFromLua(lua.lua_tonumber(L, index));
      case LUA_TBOOLEAN:
        return lua.lua_toboolean(L, index) ? 1 : null;
      case LUA_TTABLE:
        return this.tableToRedis(index);
      default:
        return null;
    }
  }

  private tableToRedis(index: number): RedisReply {
    const error = this.stringField(index, "err");
    if (error !== null) throw new RedisCommandError(error);
    const status = this.stringField(index, "ok");
    if (status !== null) return status;
    const L = this.L;
    const out: RedisReply[] = [];
    for (let i = 1; ; i++) {
      lua.lua_rawgeti(L, index, i);
      const top = lua.lua_gettop(L);
      if (lua.lua_type(L, top) === 0) {
        lua.lua_pop(L, 1);
        return out;
      }
      try {
        out.push(this.toRedis(top));
      } catch (error) {
        // An error element inside an array: ioredis would hand back an Error object there; we keep its text.
        if (!(error instanceof RedisCommandError)) throw error;
        out.push(error.message);
      }
      lua.lua_pop(L, 1);
    }
  }

  /** A field that Redis only honours when it holds a string (rawget: metatables are ignored). */
  private stringField(index: number, name: string): string | null {
    const L = this.L;
    lua.lua_pushstring(L, name);
    lua.lua_rawget(L, index);
    const top = lua.lua_gettop(L);
    const value = lua.lua_type(L, top) === LUA_TSTRING ? fromLuaString(lua.lua_tostring(L, top) as Uint8Array) : null;
    lua.lua_pop(L, 1);
    return value;
  }

  /** Redis -> Lua, as redis.call hands replies to scripts. Numbers are doubles, as in Lua 5.1. */
  private push(reply: EngineReply): void {
    const L = this.L;
    if (typeof reply === "string") lua.lua_pushstring(L, toLuaString(reply));
    else if (typeof reply === "number") lua.lua_pushnumber(L, reply); else if (reply === null) lua.lua_pushboolean(L, false);
    else if (reply instanceof Status) {
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushstring(L, toLuaString(reply.text));
      lua.lua_setfield(L, -2, "ok");
    } else {
      lua.lua_createtable(L, reply.length, 0);
      for (let i = 0; i < reply.length; i++) {
        this.push(reply[i] as EngineReply);
        lua.lua_rawseti(L, -2, i + 1);
      }
    }
  }

  private pushError(message: string): void {
    const L = this.L;
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushstring(L, toLuaString(message));
    lua.lua_setfield(L, -2, "err");
  }

  /** redis.call (raise = true) and redis.pcall (raise = false). */
  private command(raise: boolean): LuaFunction {
    return (L) => {
      const argc = lua.lua_gettop(L);
      let failure: string | null = null;
      const args: string[] = [];
      if (argc === 0) failure = NO_ARGS_ERROR;
      for (let i = 1; i <= argc && failure === null; i++) {
        const type = lua.lua_type(L, i);
        if (type === LUA_TSTRING) args.push(fromLuaString(lua.lua_tostring(L, i) as Uint8Array));
        else if (type === LUA_TNUMBER) {
          args.push(lua.lua_isinteger(L, i) ? String(lua.lua_tointeger(L, i)) : formatDouble(lua.lua_tonumber(L, i)));
        } else failure = ARG_TYPE_ERROR;
      }
      let reply: EngineReply = null;
      if (failure === null) {
        try {
          reply = this.host.call(args[0] as string, args.slice(1));
        } catch (error) {
          if (!(error instanceof RedisCommandError)) {
            this.internalFailure = error;
            return this.raise(L, "internal error in the simulated Redis");
          }
          failure = error.message;
        }
      }
      if (failure !== null) {
        this.pushError(failure);
        if (raise) return lua.lua_error(L);
        return 1;
      }
      this.push(reply);
      return 1;
    };
  }

  private installRedisLibrary(): void {
    const L = this.L;
    lua.lua_createtable(L, 0, 16);
    this.setFunction("call", this.command(true));
    this.setFunction("pcall", this.command(false));
    this.setFunction("sha1hex", (state) => {
      if (lua.lua_gettop(state) !== 1) {
        lua.lua_pushstring(state, "wrong number of arguments");
        return lua.lua_error(state);
      }
      // Like Redis, anything that is not a string or a number hashes as the empty string.
      const type = lua.lua_type(state, 1);
      const bytes = type === LUA_TSTRING || type === LUA_TNUMBER ? (lua.lua_tostring(state, 1) as Uint8Array) : new Uint8Array(0);
      lua.lua_pushstring(state, createHash("sha1").update(bytes).digest("hex"));
      return 1;
    });
    lua.lua_setglobal(L, "redis");
  }

  private installCjson(): void {
    const L = this.L;
    lua.lua_createtable(L, 0, 3);
    this.setFunction("encode", (state) => {
      if (lua.lua_gettop(state) !== 1) return this.raise(state, "bad argument #1 to 'encode' (expected 1 argument)");
      try {
        lua.lua_pushstring(state, toLuaString(encodeJson(state, 1)));
      } catch (error) {
        if (!(error instanceof CjsonError)) throw error;
        return this.raise(state, error.message);
      }
      return 1;
    });
    this.setFunction("decode", (state) => {
      if (lua.lua_gettop(state) !== 1 || lua.lua_type(state, 1) !== LUA_TSTRING) {
        return this.raise(state, "bad argument #1 to 'decode' (string expected)");
      }
      try {
        decodeJson(state, fromLuaString(lua.lua_tostring(state, 1) as Uint8Array));
      } catch (error) {
        if (!(error instanceof CjsonError)) throw error;
        return this.raise(state, error.message);
      }
      return 1;
    });
    lua.lua_pushlightuserdata(L, JSON_NULL);
    lua.lua_setfield(L, -2, "null");
    lua.lua_setglobal(L, "cjson");
  }

  /** math.random on the engine's seeded source, so scripts stay deterministic under a seed. */
  private installRandom(): void {
    const L = this.L;
    lua.lua_getglobal(L, "math");
    this.setFunction("random", (state) => {
      const r = this.host.random();
      const argc = lua.lua_gettop(state);
      if (argc === 0) {
        lua.lua_pushnumber(state, r);
        return 1;
      }
      if (argc > 2) return this.raise(state, "wrong number of arguments");
      const low = argc === 2 ? Math.floor(lauxlib.luaL_checknumber(state, 1)) : 1;
      const high = Math.floor(lauxlib.luaL_checknumber(state, argc));
      if (low > high) return this.raise(state, `bad argument #${argc} to 'random' (interval is empty)`);
      lua.lua_pushnumber(state, low + Math.floor(r * (high - low + 1)));
      return 1;
    });
    this.setFunction("randomseed", () => 0);
    lua.lua_pop(L, 1);
  }

  /** A native float formatter the prelude captures for string.format, then removes from the globals. */
  /**
   * Lua 5.1 has only doubles: math.floor and math.ceil return floats, and tonumber reads base 10 the way
   * it reads no base (numbers pass, strings go through strtod). Native, so their errors name the script.
   */
  private installLua51Numbers(): void {
    const L = this.L;
    lua.lua_getglobal(L, "math");
    this.setFunction("floor", (state) => {
      lua.lua_pushnumber(state, Math.floor(lauxlib.luaL_checknumber(state, 1)));
      return 1;
    });
    this.setFunction("ceil", (state) => {
      lua.lua_pushnumber(state, Math.ceil(lauxlib.luaL_checknumber(state, 1)));
      return 1;
    });
    lua.lua_pop(L, 1);
    lua.lua_pushglobaltable(L);
    lua.lua_getfield(L, -1, "tonumber");
    const native = lua.lua_tocfunction(L, -1);
    if (native === null) throw new Error("tonumber is not a native function");
    lua.lua_pop(L, 1);
    this.setFunction("tonumber", (state) => {
      if (lua.lua_gettop(state) >= 2 && lua.lua_type(state, 2) === LUA_TNUMBER && lua.lua_tonumber(state, 2) === 10) lua.lua_settop(state, 1);
      return native(state);
    });
    lua.lua_pop(L, 1);
  }

  /**
   * string.format as Lua 5.1 formats doubles: integer conversions cast any number to a C long (fengari's
   * integers are 32-bit, so its own %d rejects millisecond timestamps), float conversions round like C,
   * not like JavaScript. The arguments are rewritten in place and fengari's
   * format then runs in this same frame, so its argument errors name 'format' and the script's line.
   */
  private installFormat(): void {
    const L = this.L;
    lua.lua_getglobal(L, "string");
    lua.lua_getfield(L, -1, "format");
    const native = lua.lua_tocfunction(L, -1);
    if (native === null) throw new Error("string.format is not a native function");
    lua.lua_pop(L, 1);
    this.setFunction("format", (state) => {
      if (lua.lua_type(state, 1) !== LUA_TSTRING) return native(state);
      const top = lua.lua_gettop(state);
      const format = fromLuaString(lua.lua_tostring(state, 1) as Uint8Array);
      // One conversion and nothing else (the servers' int() is string.format('%.0f', x)): no rewriting.
      if (top === 2 && lua.lua_type(state, 2) === LUA_TNUMBER && VALID_SPEC.test(format)) {
        const value = lua.lua_tonumber(state, 2);
        const formatted = formatIntegerSpec(format, value) ?? formatFloatSpec(format, value);
        if (formatted !== null) {
          lua.lua_pushstring(state, toLuaString(formatted));
          return 1;
        }
      }
      let index = 1;
      const rewritten = format.replace(FORMAT_SPEC, (spec) => {
        if (spec === "%%") return spec;
        index++;
        if (index > top || !VALID_SPEC.test(spec) || !lua.lua_isnumber(state, index)) return spec;
        const value = lua.lua_tonumber(state, index);
        if (spec.endsWith("c")) {
          // (int) cast: fengari's %c wants an integral number.
          lua.lua_pushnumber(state, Number.isFinite(value) ? Math.trunc(value) : 0);
          lua.lua_replace(state, index);
          return spec;
        }
        const formatted = formatIntegerSpec(spec, value) ?? formatFloatSpec(spec, value);
        if (formatted === null) return spec;
        lua.lua_pushstring(state, toLuaString(formatted));
        lua.lua_replace(state, index);
        return "%s";
      });
      if (rewritten !== format) {
        lua.lua_pushstring(state, toLuaString(rewritten));
        lua.lua_replace(state, 1);
      }
      return native(state);
    });
    lua.lua_pop(L, 1);
  }

  /**
   * Redis 7.0 makes the globals table read-only and reading an unknown global an error. The metamethods
   * are native, as in Redis, so the error points at the script line.
   */
  private protectGlobals(): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    lua.lua_createtable(L, 0, 2);
    this.setFunction("__index", (state) => {
      const name = this.stringAt(2) ?? "?";
      return this.raise(state, `Script attempted to access nonexistent global variable '${name}'`);
    });
    this.setFunction("__newindex", (state) => this.raise(state, "Attempt to modify a readonly table"));
    lua.lua_setmetatable(L, -2);
    lua.lua_pop(L, 1);
  }

  /** Raises a Lua error positioned at the calling script line, as luaL_error does from a C library. */
  private raise(L: LuaState, message: string): never {
    lauxlib.luaL_where(L, 1);
    const where = this.stringAt(lua.lua_gettop(L)) ?? "";
    lua.lua_pop(L, 1);
    lua.lua_pushstring(L, toLuaString(where + message));
    return lua.lua_error(L);
  }

  private setFunction(name: string, fn: LuaFunction): void {
    lua.lua_pushcfunction(this.L, fn);
    lua.lua_setfield(this.L, -2, name);
  }

  private runChunk(source: string, name: string, results: number): void {
    const L = this.L;
    const bytes = toLuaString(source);
    if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, name) !== lua.LUA_OK || lua.lua_pcall(L, 0, results, 0) !== lua.LUA_OK) {
      throw new Error(`Lua setup failed: ${this.popString()}`);
    }
  }
}

export function sha1Hex(body: string): string {
  return createHash("sha1").update(body).digest("hex");
}
