import { formatDouble } from "../../numbers.ts";
import { JSON_NULL } from "../cjson.ts";
import { lua51StringToNumber } from "../numeral.ts";
import { LuaTable } from "./lua-table.ts";

/**
 * Lua values in compiled scripts: nil is undefined, booleans and numbers (doubles, as in Lua 5.1) are JS's,
 * strings are binary strings (one char per byte, so lengths and positions are Lua's), tables are LuaTable,
 * functions are JS functions taking and returning Lua values.
 */
export type LuaFunction = (...args: unknown[]) => unknown;

/** More or fewer than one value from a function; a single value is returned as itself. */
export class Multi {
  constructor(readonly values: unknown[]) {}
}

export const NOTHING = new Multi([]);

export function first(value: unknown): unknown {
  return value instanceof Multi ? value.values[0] : value;
}

export function all(value: unknown): unknown[] {
  return value instanceof Multi ? value.values : [value];
}

/** A Lua error in flight: the error value, and the script line where it was raised (null: no Lua frame). */
export class LuaError extends Error {
  constructor(
    readonly value: unknown,
    readonly line: number | null,
  ) {
    super(typeof value === "string" ? value : "lua error");
  }
}

export function typeName(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "nil";
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    case "function":
      return "function";
  }
  return value instanceof LuaTable ? "table" : "userdata";
}

/** Lua 5.1's number to string: printf("%.14g"). */
export function numberToString(value: number): string {
  return formatDouble(value, 14);
}

let addresses = new WeakMap<object, number>();
let nextAddress = 0x10000;

/** Addresses restart with every script run, so that what a run prints does not depend on earlier runs. */
export function resetAddresses(): void {
  if (nextAddress === 0x10000) return;
  addresses = new WeakMap();
  nextAddress = 0x10000;
}

/** A stable pseudo-address: Lua prints one for tables and functions, and a run must stay deterministic. */
function addressOf(value: object): string {
  let address = addresses.get(value);
  if (address === undefined) {
    address = nextAddress;
    nextAddress += 0x40;
    addresses.set(value, address);
  }
  return `0x${address.toString(16).padStart(8, "0")}`;
}

export function tostring(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "nil";
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return numberToString(value);
    case "string":
      return value;
    case "function":
      return `function: ${addressOf(value)}`;
  }
  if (value === JSON_NULL) return "userdata: (nil)";
  return `${typeName(value)}: ${addressOf(value as object)}`;
}

const PLAIN_INTEGER = /^-?[0-9]{1,15}$/;

/** Lua 5.1's string coercion to a number (luaO_str2d), or null. */
export function stringToNumber(text: string): number | null {
  // What scripts convert nearly always: a plain integer, exact as a double.
  if (PLAIN_INTEGER.test(text)) return Number(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return lua51StringToNumber(bytes);
}

/** A number, or a string that reads as one; null otherwise. */
export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string") return stringToNumber(value);
  return null;
}

const decoder = new TextDecoder();

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A string from the engine (UTF-16 text) as the bytes Lua sees. */
export function toBinary(text: string): string {
  return isAscii(text) ? text : Buffer.from(text, "utf8").toString("latin1");
}

/** Lua bytes back to engine text (UTF-8; invalid sequences become U+FFFD, as on the interpreted path). */
export function fromBinary(bytes: string): string {
  return isAscii(bytes) ? bytes : decoder.decode(Buffer.from(bytes, "latin1"));
}
