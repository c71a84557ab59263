import { ERR, fail } from "./errors.ts";
import { signedNaN } from "./nan.ts";
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

/** What glibc's strtod reads at the start of a string: spaces, sign, decimal or hex numeral, inf, nan. */
const STRTOD =
  /^[ \t\n\v\f\r]*([+-]?)(?:0x(?=\.?[0-9a-f])([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?|([0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?|(inf(?:inity)?)|(nan(?:\([0-9a-z_]*\))?))/i;

export interface Strtod {
  value: number;
  /** Characters read; the rest of the string is what strtod's end pointer points at. */
  end: number;
  /** errno ERANGE with an infinite or zero result: a finite numeral too large, or a non-zero one too small. */
  outOfRange: boolean;
}

function scaleByPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let left = exponent;
  while (left !== 0 && result !== 0 && Number.isFinite(result)) {
    const step = Math.max(-500, Math.min(500, left));
    result *= 2 ** step;
    left -= step;
  }
  return result;
}

/**
 * A plain decimal numeral (optional '-', digits, at most one '.', no exponent) short enough that it can neither
 * overflow nor underflow: what scripts and commands pass nearly always, read by Number exactly as the full
 * grammar below would read it.
 */
function isPlainDecimal(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > 20) return false;
  let digits = 0;
  let dots = 0;
  for (let i = text.charCodeAt(0) === 45 ? 1 : 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
    else if (code === 46 && dots === 0) dots++;
    else return false;
  }
  return digits > 0;
}

/** Whether a numeral can start here: space, sign, digit, '.', or the i of inf and n of nan. */
function mayStartNumeral(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 43 ||
    code === 45 ||
    code === 46 ||
    code === 73 ||
    code === 78 ||
    code === 105 ||
    code === 110
  );
}

/** The infinities as range bounds spell them (`-inf`, `+inf`), as the full grammar below reads them; else null. */
function plainInfinity(text: string): number | null {
  switch (text) {
    case "inf":
    case "+inf":
      return Infinity;
    case "-inf":
      return -Infinity;
    default:
      return null;
  }
}

/** C strtod on a string; null when it reads nothing (its end pointer stays at the start). */
export function strtod(text: string): Strtod | null {
  if (isPlainDecimal(text)) return { value: Number(text), end: text.length, outOfRange: false };
  const infinity = plainInfinity(text);
  if (infinity !== null) return { value: infinity, end: text.length, outOfRange: false };
  if (text.length === 0 || !mayStartNumeral(text.charCodeAt(0))) return null;
  const match = STRTOD.exec(text);
  if (match === null) return null;
  const [read, sign, hexWhole, hexFraction, hexExponent, decimalDigits, infinite, nan] = match;
  const negative = sign === "-";
  let magnitude: number;
  let nonZeroDigits: boolean;
  if (nan !== undefined) return { value: signedNaN(negative), end: read.length, outOfRange: false };
  if (infinite !== undefined) return { value: negative ? -Infinity : Infinity, end: read.length, outOfRange: false };
  if (decimalDigits !== undefined) {
    magnitude = Number(read.trimStart().replace(/^[+-]/, ""));
    nonZeroDigits = /[1-9]/.test(decimalDigits);
  } else {
    const digits = `${hexWhole ?? ""}${hexFraction ?? ""}` || "0";
    magnitude = scaleByPowerOfTwo(Number(BigInt(`0x${digits}`)), Number(hexExponent ?? 0) - 4 * (hexFraction ?? "").length);
    nonZeroDigits = /[1-9a-f]/i.test(digits);
  }
  const outOfRange = !Number.isFinite(magnitude) || (magnitude === 0 && nonZeroDigits);
  return { value: negative ? -magnitude : magnitude, end: read.length, outOfRange };
}

/** Redis's string2d (scores, increments): the whole string, no leading space, no NaN, no overflow. */
export function parseDouble(text: string): number | null {
  if (text === "" || /^[ \t\n\v\f\r]/.test(text)) return null;
  const read = strtod(text);
  if (read === null || read.end !== text.length || read.outOfRange || Number.isNaN(read.value)) return null;
  return read.value;
}

/**
 * zslParseRange's bare strtod (ZRANGEBYSCORE, ZCOUNT bounds): leading spaces and out-of-range numerals
 * pass, an empty bound is 0, only NaN and trailing characters fail.
 */
export function parseRangeDouble(text: string): number | null {
  const read = strtod(text);
  if (read === null) return text === "" ? 0 : null;
  if (read.end !== text.length || Number.isNaN(read.value)) return null;
  return read.value;
}

/** printf("%.<precision>g"): Redis 7.0 replies with %.17g doubles (scores); Lua and cjson print %.14g. */
export function formatDouble(value: number, precision = 17): string {
  if (Number.isInteger(value) && Math.abs(value) < 10 ** precision && !Object.is(value, -0)) return String(value);
  return formatG(value, precision);
}
