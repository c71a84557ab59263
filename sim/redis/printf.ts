/**
 * C printf's floating-point conversions (%f %e %g), which Redis uses for replies (%.17g) and Lua for
 * tostring (%.14g) and string.format. JavaScript's toFixed/toExponential agree with C except on exact
 * ties, which C rounds to even and JavaScript away from zero (printf("%.1f", 1.25) is "1.2", not "1.3").
 */
import { isNegativeNaN } from "./nan.ts";

interface Digits {
  /** Significant digits, no leading zeros (a single "0" for zero). */
  digits: string;
  /** Decimal exponent of the first digit. */
  exponent: number;
}

/** Whether the decimal text (as toExponential/toFixed print it, non-negative) is exactly `value`. */
function isExact(value: number, text: string): boolean {
  const [mantissa, exponentText] = text.split("e") as [string, string | undefined];
  const point = mantissa.indexOf(".");
  const scale = (point < 0 ? 0 : mantissa.length - point - 1) - Number(exponentText ?? 0);
  const decimal = BigInt(mantissa.replace(".", ""));
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const significand = biased === 0 ? fraction : fraction | (1n << 52n);
  const binaryExponent = (biased === 0 ? 1 : biased) - 1075;
  // decimal / 10^scale == significand * 2^binaryExponent, cross-multiplied to stay in integers.
  let left = decimal;
  let right = significand;
  if (scale >= 0) right *= 10n ** BigInt(scale);
  else left *= 10n ** BigInt(-scale);
  if (binaryExponent >= 0) right <<= BigInt(binaryExponent);
  else left <<= BigInt(-binaryExponent);
  return left === right;
}

/** An exactly tied JS rounding (the dropped part is exactly one half) redone the C way: half to even. */
function halfEven(value: number, rounded: string, longer: string): string {
  const [mantissa, exponent] = longer.split("e") as [string, string | undefined];
  if (!mantissa.endsWith("5") || !isExact(value, longer)) return rounded;
  let truncated = mantissa.slice(0, -1);
  const kept = truncated.replace(".", "");
  if (Number(kept[kept.length - 1]) % 2 !== 0) return rounded;
  if (truncated.endsWith(".")) truncated = truncated.slice(0, -1);
  return exponent === undefined ? truncated : `${truncated}e${exponent}`;
}

/** `significant` digits of |value|, rounded as C does. */
function significantDigits(value: number, significant: number): Digits {
  const magnitude = Math.abs(value);
  const text = halfEven(magnitude, magnitude.toExponential(significant - 1), magnitude.toExponential(significant));
  const [mantissa, exponent] = text.split("e") as [string, string];
  return { digits: mantissa.replace(".", ""), exponent: Number(exponent) };
}

/** %.<precision>f of |value|. */
function fixedDigits(value: number, precision: number): string {
  const magnitude = Math.abs(value);
  // toFixed switches to exponent notation here; such doubles are integers, printed exactly.
  if (magnitude >= 1e21) return BigInt(magnitude).toString() + (precision > 0 ? `.${"0".repeat(precision)}` : "");
  if (precision >= 100) return magnitude.toFixed(100) + "0".repeat(precision - 100);
  return halfEven(magnitude, magnitude.toFixed(precision), magnitude.toFixed(precision + 1));
}

function exponentText(exponent: number): string {
  return `e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

function scientific({ digits, exponent }: Digits, alternate: boolean): string {
  const fraction = digits.slice(1);
  const point = fraction.length > 0 || alternate ? "." : "";
  return `${digits[0]}${point}${fraction}${exponentText(exponent)}`;
}

function stripZeros(text: string): string {
  const [mantissa, exponent] = text.split("e") as [string, string | undefined];
  const stripped = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  return exponent === undefined ? stripped : `${stripped}e${exponent}`;
}

/** The body of %g for |value| (no sign, no padding). */
function general(value: number, precisionIn: number, alternate: boolean): string {
  const precision = precisionIn === 0 ? 1 : precisionIn;
  if (value === 0) return alternate ? `0.${"0".repeat(precision - 1)}` : "0";
  const rounded = significantDigits(value, precision);
  const text =
    rounded.exponent < -4 || rounded.exponent >= precision
      ? scientific(rounded, alternate)
      : fixedDigits(value, precision - 1 - rounded.exponent);
  if (!alternate) return stripZeros(text);
  return text.includes(".") ? text : `${text}.`;
}

/** printf("%.<precision>g", value) as glibc prints it, with inf/-inf/nan/-nan spelled the C way. */
export function formatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return isNegativeNaN(value) ? "-nan" : "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  return sign + general(Math.abs(value), precision, false);
}

const SPEC = /^%([-+ #0]*)(\d*)(?:\.(\d*))?([eEfFgG])$/;

/** One C conversion such as "%-8.3f" or "%g" applied to a number; null when the spec is not a float one. */
export function formatFloatSpec(spec: string, value: number): string | null {
  const match = SPEC.exec(spec);
  if (match === null) return null;
  const [, flags = "", widthText = "", precisionText, conversion = "f"] = match;
  const precision = precisionText === undefined ? 6 : Number(precisionText || 0);
  const alternate = flags.includes("#");
  const upper = conversion === conversion.toUpperCase();
  let body: string;
  if (Number.isNaN(value)) body = "nan";
  else if (!Number.isFinite(value)) body = "inf";
  else if (conversion === "f" || conversion === "F") {
    body = fixedDigits(value, precision);
    if (alternate && precision === 0) body += ".";
  } else if (conversion === "e" || conversion === "E") {
    body = value === 0 ? scientific({ digits: "0".repeat(precision + 1), exponent: 0 }, alternate) : scientific(significantDigits(value, precision + 1), alternate);
  } else body = general(Math.abs(value), precision, alternate);
  if (upper) body = body.toUpperCase();
  const negative = Number.isNaN(value) ? isNegativeNaN(value) : value < 0 || Object.is(value, -0);
  const sign = negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const width = Number(widthText || 0);
  const padding = Math.max(0, width - sign.length - body.length);
  if (flags.includes("-")) return sign + body + " ".repeat(padding);
  if (flags.includes("0") && Number.isFinite(value)) return sign + "0".repeat(padding) + body;
  return " ".repeat(padding) + sign + body;
}

const INTEGER_SPEC = /^%([-+ #0]{0,5})([0-9]{0,2})(?:\.([0-9]{0,2}))?([diouxX])$/;

/** A double as C's (long) cast makes it on x86-64: truncated, the minimum int64 when out of range. */
function toLong(value: number): bigint {
  const truncated = Math.trunc(value);
  return Number.isNaN(truncated) || truncated >= 2 ** 63 || truncated < -(2 ** 63) ? -(2n ** 63n) : BigInt(truncated);
}

/**
 * (unsigned long) as gcc compiles it on x86-64: below 2^63 the signed conversion (negative values wrap,
 * out of range is 2^63); from 2^63 up, the signed conversion of value - 2^63 with the top bit flipped, so
 * [2^63, 2^64) is exact and anything larger is 0.
 */
function toUnsignedLong(value: number): bigint {
  if (value >= 2 ** 63) return BigInt.asUintN(64, toLong(value - 2 ** 63) ^ -(2n ** 63n));
  return BigInt.asUintN(64, toLong(value));
}

/**
 * Lua 5.1's %d %i %o %u %x %X: the number cast to a C long, printed by printf with the spec's flags,
 * width and precision; null for anything else (or a spec Lua would reject, left to its error).
 */
export function formatIntegerSpec(spec: string, value: number): string | null {
  const match = INTEGER_SPEC.exec(spec);
  if (match === null) return null;
  const [, flags = "", widthText = "", precisionText, conversion = "d"] = match;
  const signed = conversion === "d" || conversion === "i";
  const number = signed ? toLong(value) : toUnsignedLong(value);
  const magnitude = number < 0n ? -number : number;
  const radix = conversion === "o" ? 8 : conversion === "x" || conversion === "X" ? 16 : 10;
  let digits = magnitude.toString(radix);
  if (conversion === "X") digits = digits.toUpperCase();
  const precision = precisionText === undefined ? null : Number(precisionText || 0);
  if (precision !== null) digits = precision === 0 && magnitude === 0n ? "" : digits.padStart(precision, "0");
  let prefix = "";
  if (signed) prefix = number < 0n ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  else if (flags.includes("#") && conversion === "o" && !digits.startsWith("0")) digits = `0${digits}`;
  else if (flags.includes("#") && magnitude !== 0n && (conversion === "x" || conversion === "X")) prefix = `0${conversion}`;
  const padding = Math.max(0, Number(widthText || 0) - prefix.length - digits.length);
  if (flags.includes("-")) return prefix + digits + " ".repeat(padding);
  if (flags.includes("0") && precision === null) return prefix + "0".repeat(padding) + digits;
  return " ".repeat(padding) + prefix + digits;
}
