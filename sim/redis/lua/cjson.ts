import { formatDouble } from "../numbers.ts";
import {
  fromLuaString,
  lua,
  LUA_TBOOLEAN,
  LUA_TLIGHTUSERDATA,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaState,
} from "./fengari.ts";

/** `cjson.null`: a light userdata, as in lua-cjson, recognised again by encode. */
export const JSON_NULL = Object.freeze({ cjsonNull: true });

const TYPE_NAMES = ["nil", "boolean", "userdata", "number", "string", "table", "function", "userdata", "thread"];
export const MAX_DEPTH = 1000;
/** lua-cjson's defaults: a table keyed 1..max with max > 2 * count and max > 10 is "excessively sparse". */
export const SPARSE_RATIO = 2;
export const SPARSE_SAFE = 10;

export class CjsonError extends Error {}

const NEEDS_ESCAPE = /["\\/\x00-\x1f\x7f]/;

export function escapeString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "/") out += "\\/";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function encodeNumber(L: LuaState, index: number): string {
  if (lua.lua_isinteger(L, index)) return String(lua.lua_tointeger(L, index));
  const value = lua.lua_tonumber(L, index);
  if (!Number.isFinite(value)) throw new CjsonError("Cannot serialise number: must not be NaN or Inf");
  return formatDouble(value, 14);
}

/** Length when the table is an array (keys 1..n), -1 when it must be encoded as an object. */
function arrayLength(L: LuaState, index: number): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, index) !== 0) {
    const key = lua.lua_type(L, -2) === LUA_TNUMBER ? lua.lua_tonumber(L, -2) : 0;
    if (Number.isInteger(key) && key >= 1) {
      max = Math.max(max, key);
      items++;
      lua.lua_pop(L, 1);
      continue;
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  if (max > items * SPARSE_RATIO && max > SPARSE_SAFE) {
    throw new CjsonError("Cannot serialise table: excessively sparse array");
  }
  return max;
}

function encodeTable(L: LuaState, index: number, depth: number): string {
  if (depth > MAX_DEPTH) throw new CjsonError(`Cannot serialise, excessive nesting (${depth})`);
  const length = arrayLength(L, index);
  const parts: string[] = [];
  if (length > 0) {
    for (let i = 1; i <= length; i++) {
      lua.lua_rawgeti(L, index, i);
      parts.push(encodeValue(L, lua.lua_gettop(L), depth));
      lua.lua_pop(L, 1);
    }
    return `[${parts.join(",")}]`;
  }
  lua.lua_pushnil(L);
  while (lua.lua_next(L, index) !== 0) {
    const keyType = lua.lua_type(L, -2);
    let key: string;
    if (keyType === LUA_TSTRING) key = fromLuaString(lua.lua_tostring(L, -2) as Uint8Array);
    else if (keyType === LUA_TNUMBER) key = lua.lua_isinteger(L, -2) ? String(lua.lua_tointeger(L, -2)) : formatDouble(lua.lua_tonumber(L, -2), 14);
    else {
      lua.lua_pop(L, 2);
      throw new CjsonError("Cannot serialise table: table key must be a number or string");
    }
    parts.push(`${escapeString(key)}:${encodeValue(L, lua.lua_gettop(L), depth)}`);
    lua.lua_pop(L, 1);
  }
  return `{${parts.join(",")}}`;
}

function encodeValue(L: LuaState, index: number, depth: number): string {
  switch (lua.lua_type(L, index)) {
    case LUA_TNIL:
      return "null";
    case LUA_TBOOLEAN:
      return lua.lua_toboolean(L, index) ? "true" : "false";
    case LUA_TNUMBER:
      return encodeNumber(L, index);
    case LUA_TSTRING:
      return escapeString(fromLuaString(lua.lua_tostring(L, index) as Uint8Array));
    case LUA_TTABLE:
      return encodeTable(L, index, depth + 1);
    case LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, index) === JSON_NULL) return "null";
  }
  const type = TYPE_NAMES[lua.lua_type(L, index)] ?? "value";
  throw new CjsonError(`Cannot serialise ${type}: type not supported`);
}

/** lua-cjson's encode of the value at `index`. */
export function encodeJson(L: LuaState, index: number): string {
  return encodeValue(L, index, 0);
}

function pushJson(L: LuaState, value: unknown): void {
  if (value === null) lua.lua_pushlightuserdata(L, JSON_NULL);
  else if (typeof value === "string") lua.lua_pushstring(L, value);
  else if (typeof value === "number") lua.lua_pushnumber(L, value); else if (typeof value === "boolean") lua.lua_pushboolean(L, value);
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      pushJson(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      lua.lua_pushstring(L, key);
      pushJson(L, item);
      lua.lua_rawset(L, -3);
    }
  }
}

/** JSON text as lua-cjson reads it, before it becomes Lua values; throws lua-cjson's error text. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CjsonError("Expected value but found invalid token at character 1");
  }
}

/** lua-cjson's decode; pushes the decoded value. */
export function decodeJson(L: LuaState, text: string): void {
  pushJson(L, parseJson(text));
}
