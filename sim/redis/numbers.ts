import { ERR, fail } from "./errors.ts";
import { formatG } from "./printf.ts";

const INTEGER = /^(?:0|-?[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Redis's string2ll: no sign other than '-', no leading zeros, no spaces, inside int64. */
export function parseBigInteger(text: string): bigint | null {
  if (text.length > 20 || !INTEGER.test(text)) return null;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** An integer argument (indexes, counts, TTLs); precision beyond 2^53 does not matter for those. */
export function parseInteger(text: string, error: string = ERR.notInteger): number {
  if (text.length <= 15) {
    if (!INTEGER.test(text)) fail(error);
    return Number(text);
  }
  const value = parseBigInteger(text);
  if (value === null) fail(error);
  return Number(value);
}

/** getPositiveLongFromObjectOrReply: one message for "not a number" and "negative" alike (SPOP, LPOP counts). */
export function parseCount(text: string): number {
  const count = parseInteger(text, ERR.outOfRangePositive);
  if (count < 0) fail(ERR.outOfRangePositive);
  return count;
}

/**
 * An integer reply as ioredis's parser reads it: digit by digit in doubles, which rounds int64 values
 * beyond 2^53 differently from Number(text). Exact below 2^53.
 */
export function integerReply(text: string): number {
  const negative = text.startsWith("-");
  let value = 0;
  for (let i = negative ? 1 : 0; i < text.length; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return negative ? -value : value;
}

/** Adds two int64 values as Redis does (INCRBY, HINCRBY), failing on overflow. */
export function addIntegers(current: string, increment: string, currentError: string): string {
  if (current.length <= 15 && increment.length <= 15 && INTEGER.test(current) && INTEGER.test(increment)) {
    return String(Number(current) + Number(increment));
  }
  const base = parseBigInteger(current);
  if (base === null) fail(currentError);
  const delta = parseBigInteger(increment);
  if (delta === null) fail(ERR.notInteger);
  const sum = base + delta;
  if (sum < INT64_MIN || sum > INT64_MAX) fail(ERR.overflow);
  return sum.toString();
}

const FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INFINITE = /^([+-]?)inf(?:inity)?$/i;

/** strtod as Redis uses it: whole string, no leading space, no NaN; "inf" and exponents allowed. */
export function parseDouble(text: string): number | null {
  if (FLOAT.test(text)) return Number(text);
  const infinite = INFINITE.exec(text);
  if (infinite) return infinite[1] === "-" ? -Infinity : Infinity;
  return null;
}

/** printf("%.<precision>g"): Redis 7.0 replies with %.17g doubles (scores); Lua and cjson print %.14g. */
export function formatDouble(value: number, precision = 17): string {
  if (Number.isInteger(value) && Math.abs(value) < 10 ** precision && !Object.is(value, -0)) return String(value);
  return formatG(value, precision);
}
