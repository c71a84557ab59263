import { createRequire } from "node:module";
import { formatDouble } from "../numbers.ts";
import { lua51StringToNumber } from "./numeral.ts";

/** An opaque fengari `lua_State`. */
export type LuaState = { readonly __luaState: unique symbol };
export type LuaFunction = (L: LuaState) => number;
type LuaString = Uint8Array;
type Key = string | LuaString;

/** The slice of fengari's C-like API the simulated Redis uses (fengari ships no type declarations). */
export interface LuaApi {
  LUA_OK: number;
  LUA_REGISTRYINDEX: number;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_error(L: LuaState): never;
  lua_getfield(L: LuaState, index: number, key: Key): number;
  lua_getglobal(L: LuaState, name: Key): number;
  lua_gettop(L: LuaState): number;
  lua_isinteger(L: LuaState, index: number): boolean;
  lua_isnumber(L: LuaState, index: number): boolean;
  lua_next(L: LuaState, index: number): number;
  lua_pcall(L: LuaState, nargs: number, nresults: number, handler: number): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, value: boolean): void;
  lua_pushcfunction(L: LuaState, fn: LuaFunction): void;
  lua_pushglobaltable(L: LuaState): void;
  lua_pushinteger(L: LuaState, value: number): void;
  lua_pushlightuserdata(L: LuaState, value: object): void;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, value: number): void;
  lua_pushstring(L: LuaState, value: Key): void;
  lua_pushvalue(L: LuaState, index: number): void;
  lua_rawget(L: LuaState, index: number): number;
  lua_rawgeti(L: LuaState, index: number, n: number): number;
  lua_rawset(L: LuaState, index: number): void;
  lua_replace(L: LuaState, index: number): void;
  lua_rawseti(L: LuaState, index: number, n: number): void;
  lua_setfield(L: LuaState, index: number, key: Key): void;
  lua_setglobal(L: LuaState, name: Key): void;
  lua_setmetatable(L: LuaState, index: number): void;
  lua_settop(L: LuaState, index: number): void;
  lua_toboolean(L: LuaState, index: number): boolean;
  lua_tocfunction(L: LuaState, index: number): LuaFunction | null;
  lua_tointeger(L: LuaState, index: number): number;
  lua_tonumber(L: LuaState, index: number): number;
  lua_tostring(L: LuaState, index: number): LuaString | null;
  lua_touserdata(L: LuaState, index: number): unknown;
  lua_type(L: LuaState, index: number): number;
}

export interface LauxApi {
  luaL_checknumber(L: LuaState, arg: number): number;
  luaL_loadbuffer(L: LuaState, buffer: LuaString, size: number, name: Key): number;
  luaL_newstate(): LuaState;
  luaL_ref(L: LuaState, table: number): number;
  luaL_unref(L: LuaState, table: number, ref: number): void;
  luaL_where(L: LuaState, level: number): void;
}

export interface LualibApi {
  luaL_openlibs(L: LuaState): void;
}

export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TLIGHTUSERDATA = 2;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;

const require = createRequire(import.meta.url);

// Redis runs Lua 5.1, where 10/2 prints "5"; fengari is Lua 5.3 and prints "5.0" unless this flag is set.
// fengari's VM copies it when its modules load, so it is set after the configuration module loads (through
// fengaricore, which resolves its circular import with defs) and before the rest of fengari.
require("fengari/src/fengaricore.js");
const luaconf = require("fengari/src/luaconf.js") as {
  LUA_COMPAT_FLOATSTRING: boolean;
  lua_number2str(value: number): string;
};
luaconf.LUA_COMPAT_FLOATSTRING = true;
// fengari formats numbers with JS's toPrecision; Lua 5.1 uses printf("%.14g") ("1e+15", "-nan").
luaconf.lua_number2str = (value) => formatDouble(value, 14);
// Lua 5.1 computes a % b as a - floor(a / b) * b, which rounds differently from fmod on large operands.
const llimits = require("fengari/src/llimits.js") as { luai_nummod(L: unknown, a: number, b: number): number };
llimits.luai_nummod = (_L, a, b) => a - Math.floor(a / b) * b;

const fengari = require("fengari") as { lua: LuaApi; lauxlib: LauxApi; lualib: LualibApi };

interface NumberSlot {
  setfltvalue(value: number): void;
}
const lobject = require("fengari/src/lobject.js") as { luaO_str2num(s: Uint8Array, o: NumberSlot): number };

// Lua 5.1 has only doubles, and fengari's integers are 32-bit, so `tonumber(ARGV[1]) * 1000` on a timestamp
// would wrap. Every numeral (source literal, tonumber, string coercion) is therefore read the Lua 5.1 way,
// as a double (numeral.ts); LUA_COMPAT_FLOATSTRING above keeps integral floats printing as "5", as Lua 5.1
// does. The size returned is what fengari's callers compare with the string's length + 1.
lobject.luaO_str2num = (s, o) => {
  const value = lua51StringToNumber(s);
  if (value === null) return 0;
  o.setfltvalue(value);
  return s.length + 1;
};

export const lua = fengari.lua;
export const lauxlib = fengari.lauxlib;
export const lualib = fengari.lualib;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JS string to Lua bytes (UTF-8), with an allocation-light path for ASCII. */
export function toLuaString(text: string): LuaString {
  const length = text.length;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return encoder.encode(text);
    bytes[i] = code;
  }
  return bytes;
}

/** Lua bytes to a JS string (UTF-8; invalid sequences become U+FFFD). */
export function fromLuaString(bytes: LuaString): string {
  const length = bytes.length;
  if (length > 64) return decoder.decode(bytes);
  let text = "";
  for (let i = 0; i < length; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return decoder.decode(bytes);
    text += String.fromCharCode(byte);
  }
  return text;
}
