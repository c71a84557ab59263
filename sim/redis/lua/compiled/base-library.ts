import { argError, checkAny, checkInteger, checkString, checkTable, optInteger } from "./arguments.ts";
import { iterators } from "./iteration.ts";
import { InvalidNextKey, LuaTable } from "./lua-table.ts";
import { callError, callLine, position, raiseNative, where } from "./operators.ts";
import { all, LuaError, Multi, NOTHING, toNumber, tostring, typeName, type LuaFunction } from "./values.ts";

/** Lua 5.1's base functions, as Redis 7.0 leaves them to scripts (its pcall included). */

function ipairsStep(table: unknown, i: unknown): unknown {
  const next = (i as number) + 1;
  const value = (table as LuaTable).get(next);
  return value === undefined ? NOTHING : new Multi([next, value]);
}

function next(...args: unknown[]): unknown {
  const table = checkTable(args, 1, "next");
  let entry: [unknown, unknown] | null;
  try {
    entry = table.next(args[1]);
  } catch (error) {
    if (error instanceof InvalidNextKey) return raiseNative("invalid key to 'next'");
    throw error;
  }
  return entry === null ? undefined : new Multi(entry);
}

iterators.ipairs = ipairsStep;
iterators.next = next;

/** Redis's pcall hands scripts the message of an error table ({err = ...}) rather than the table. */
function pcallMessage(value: unknown): unknown {
  if (value instanceof LuaTable) {
    const message = value.getStr("err");
    if (typeof message === "string" || typeof message === "number") return message;
  }
  return value;
}

function pcall(...args: unknown[]): unknown {
  const fn = checkAny(args, 1, "pcall");
  // The callee runs as if called from C: a native it reaches directly raises without a script position.
  position.line = 0;
  try {
    if (typeof fn !== "function") callError(fn, 0, "");
    return new Multi([true, ...all((fn as LuaFunction)(...args.slice(1)))]);
  } catch (error) {
    if (error instanceof LuaError) return new Multi([false, pcallMessage(error.value)]);
    if (error instanceof RangeError) return new Multi([false, "stack overflow"]);
    throw error;
  }
}

function error(...args: unknown[]): never {
  const value = args[0];
  const level = optInteger(args, 2, "error", 1);
  const line = callLine();
  if ((typeof value === "string" || typeof value === "number") && level > 0) {
    throw new LuaError(where(level === 1 ? line : 0) + tostring(value), line > 0 ? line : null);
  }
  throw new LuaError(value, line > 0 ? line : null);
}

function assert(...args: unknown[]): unknown {
  const value = checkAny(args, 1, "assert");
  if (value !== undefined && value !== false) return new Multi(args);
  if (args[1] === undefined) return raiseNative("assertion failed!");
  // luaL_error(L, "%s", message): the message as a C string, up to its first NUL.
  const message = checkString(args, 2, "assert");
  const nul = message.indexOf("\0");
  return raiseNative(nul < 0 ? message : message.slice(0, nul));
}

function tonumber(...args: unknown[]): unknown {
  const value = checkAny(args, 1, "tonumber");
  const base = optInteger(args, 2, "tonumber", 10);
  if (base === 10) return toNumber(value) ?? undefined;
  if (base < 2 || base > 36) argError(2, "tonumber", "base out of range");
  return parseUnsigned(checkString(args, 1, "tonumber"), base);
}

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * strtoul as Lua 5.1's tonumber(s, base) uses it: the C string (up to its first NUL), all of it but for
 * surrounding spaces; a minus wraps modulo 2^64 and an overflow gives ULONG_MAX, as on x86-64 Linux.
 */
function parseUnsigned(text: string, base: number): number | undefined {
  const nul = text.indexOf("\0");
  const c = nul < 0 ? text : text.slice(0, nul);
  const match = /^[ \t\n\v\f\r]*([-+]?)([0-9a-zA-Z]+)[ \t\n\v\f\r]*$/.exec(c);
  if (match === null) return undefined;
  let digits = match[2] as string;
  if (base === 16 && /^0[xX][0-9a-fA-F]/.test(digits)) digits = digits.slice(2);
  let value = 0n;
  const radix = BigInt(base);
  for (const ch of digits.toLowerCase()) {
    const digit = parseInt(ch, 36);
    if (digit >= base) return undefined;
    value = value * radix + BigInt(digit);
  }
  if (value > ULONG_MAX) return Number(ULONG_MAX);
  return Number(match[1] === "-" ? BigInt.asUintN(64, -value) : value);
}

function select(...args: unknown[]): unknown {
  const n = args.length;
  const selector = args[0];
  if (typeof selector === "string" && selector.startsWith("#")) return n - 1;
  let i = checkInteger(args, 1, "select");
  if (i < 0) i = n + i;
  else if (i > n) i = n;
  if (i < 1) argError(1, "select", "index out of range");
  return new Multi(args.slice(i));
}

function unpack(...args: unknown[]): unknown {
  const table = checkTable(args, 1, "unpack");
  const from = optInteger(args, 2, "unpack", 1);
  const to = args[2] === undefined ? table.length : checkInteger(args, 3, "unpack");
  if (from > to) return NOTHING;
  if (to - from >= 8000) raiseNative("too many results to unpack");
  const values: unknown[] = [];
  for (let i = from; i <= to; i++) values.push(table.get(i));
  return new Multi(values);
}

export const BASE_FUNCTIONS: Record<string, LuaFunction> = {
  assert,
  error,
  ipairs: (...args: unknown[]) => new Multi([ipairsStep, checkTable(args, 1, "ipairs"), 0]),
  next,
  pairs: (...args: unknown[]) => new Multi([next, checkTable(args, 1, "pairs"), undefined]),
  pcall,
  rawequal: (...args: unknown[]) => checkAny(args, 1, "rawequal") === checkAny(args, 2, "rawequal"),
  rawget: (...args: unknown[]) => checkTable(args, 1, "rawget").get(checkAny(args, 2, "rawget")),
  rawset: (...args: unknown[]) => {
    const table = checkTable(args, 1, "rawset");
    const key = checkAny(args, 2, "rawset");
    checkAny(args, 3, "rawset");
    if (key === undefined) raiseNative("table index is nil");
    if (typeof key === "number" && Number.isNaN(key)) raiseNative("table index is NaN");
    table.set(key, args[2]);
    return table;
  },
  select,
  tonumber,
  tostring: (...args: unknown[]) => tostring(checkAny(args, 1, "tostring")),
  type: (...args: unknown[]) => typeName(checkAny(args, 1, "type")),
  unpack,
};
