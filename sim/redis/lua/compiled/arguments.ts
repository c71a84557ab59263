import { LuaTable } from "./lua-table.ts";
import { position, raiseNative } from "./operators.ts";
import { numberToString, stringToNumber, typeName } from "./values.ts";

/** Argument checks of Lua 5.1's auxiliary library, with its texts ("bad argument #1 to 'sub' (...)"). */

/** luaL_argerror: called as a method, the native does not count self, and a bad self is named as such. */
export function argError(n: number, fname: string, message: string): never {
  if (position.line < 0) {
    if (n === 1) return raiseNative(`calling '${fname}' on bad self (${message})`);
    return raiseNative(`bad argument #${n - 1} to '${fname}' (${message})`);
  }
  return raiseNative(`bad argument #${n} to '${fname}' (${message})`);
}

function typeError(args: unknown[], n: number, fname: string, expected: string): never {
  const got = n > args.length ? "no value" : typeName(args[n - 1]);
  return argError(n, fname, `${expected} expected, got ${got}`);
}

export function checkAny(args: unknown[], n: number, fname: string): unknown {
  if (n > args.length) argError(n, fname, "value expected");
  return args[n - 1];
}

export function checkTable(args: unknown[], n: number, fname: string): LuaTable {
  const value = args[n - 1];
  if (value instanceof LuaTable) return value;
  return typeError(args, n, fname, "table");
}

export function checkNumber(args: unknown[], n: number, fname: string): number {
  const value = args[n - 1];
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const number = stringToNumber(value);
    if (number !== null) return number;
  }
  return typeError(args, n, fname, "number");
}

/** luaL_checkinteger: a number cast to an integer (truncated, as C's cast does). */
export function checkInteger(args: unknown[], n: number, fname: string): number {
  const value = checkNumber(args, n, fname);
  return Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function optInteger(args: unknown[], n: number, fname: string, fallback: number): number {
  return args[n - 1] === undefined ? fallback : checkInteger(args, n, fname);
}

export function optNumber(args: unknown[], n: number, fname: string, fallback: number): number {
  return args[n - 1] === undefined ? fallback : checkNumber(args, n, fname);
}

export function checkString(args: unknown[], n: number, fname: string): string {
  const value = args[n - 1];
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberToString(value);
  return typeError(args, n, fname, "string");
}

export function optString(args: unknown[], n: number, fname: string, fallback: string): string {
  return args[n - 1] === undefined ? fallback : checkString(args, n, fname);
}
