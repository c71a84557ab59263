import { formatFloatSpec, formatIntegerSpec } from "../../printf.ts";
import { argError, checkInteger, checkNumber, checkString, optInteger } from "./arguments.ts";
import { find, gmatch, gsub, match, PatternError, type Capture } from "./lua-pattern.ts";
import { LuaTable } from "./lua-table.ts";
import { position, raiseNative } from "./operators.ts";
import { first, Multi, NOTHING, numberToString, typeName, type LuaFunction } from "./values.ts";

/** Lua 5.1's string library over binary strings (one char per byte), C locale. */

function relative(pos: number, length: number): number {
  if (pos < 0) pos += length + 1;
  return pos >= 0 ? pos : 0;
}

const ASCII_LOWER = /[a-z]+/g;
const ASCII_UPPER = /[A-Z]+/g;

function sub(...args: unknown[]): string {
  const s = checkString(args, 1, "sub");
  let start = relative(checkInteger(args, 2, "sub"), s.length);
  let end = relative(optInteger(args, 3, "sub", -1), s.length);
  if (start < 1) start = 1;
  if (end > s.length) end = s.length;
  return start <= end ? s.slice(start - 1, end) : "";
}

function byte(...args: unknown[]): unknown {
  const s = checkString(args, 1, "byte");
  const start = relative(optInteger(args, 2, "byte", 1), s.length);
  let end = relative(optInteger(args, 3, "byte", start), s.length);
  const from = Math.max(start, 1);
  if (end > s.length) end = s.length;
  if (from > end) return NOTHING;
  const codes: number[] = [];
  for (let i = from; i <= end; i++) codes.push(s.charCodeAt(i - 1));
  return codes.length === 1 ? codes[0] : new Multi(codes);
}

function char(...args: unknown[]): string {
  let out = "";
  for (let i = 1; i <= args.length; i++) {
    const code = checkInteger(args, i, "char");
    if (code < 0 || code > 255) argError(i, "char", "invalid value");
    out += String.fromCharCode(code);
  }
  return out;
}

function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === "\\" || ch === "\n") out += `\\${ch}`;
    else if (ch === "\r") out += "\\r";
    else if (ch === "\0") out += "\\000";
    else out += ch;
  }
  return `${out}"`;
}

/** sprintf of one item: C strings end at their first NUL, which Lua 5.1 copies with strlen. */
const cString = (text: string): string => {
  const nul = text.indexOf("\0");
  return nul < 0 ? text : text.slice(0, nul);
};

function padded(spec: string, text: string): string {
  const parsed = /^%([-+ #0]*)(\d*)(?:\.(\d*))?s$/.exec(spec);
  if (parsed === null) return text;
  const [, flags = "", width = "", precision] = parsed;
  const body = precision === undefined ? text : text.slice(0, Number(precision || 0));
  const padding = " ".repeat(Math.max(0, Number(width || 0) - body.length));
  return flags.includes("-") ? body + padding : padding + body;
}

function format(...args: unknown[]): string {
  const template = checkString(args, 1, "format");
  const only = args[1];
  // The servers' int(): string.format('%.0f', x) on an integral double prints its digits.
  if (template === "%.0f" && args.length === 2 && typeof only === "number" && Number.isInteger(only) && Math.abs(only) < 1e21 && !Object.is(only, -0)) {
    return String(only);
  }
  let out = "";
  let arg = 1;
  for (let i = 0; i < template.length; ) {
    const ch = template[i] as string;
    if (ch !== "%") {
      out += ch;
      i++;
      continue;
    }
    if (template[i + 1] === "%") {
      out += "%";
      i += 2;
      continue;
    }
    if (++arg > args.length) argError(arg, "format", "no value");
    let p = i + 1;
    while (p < template.length && "-+ #0".includes(template[p] as string)) p++;
    if (p - (i + 1) >= 6) raiseNative("invalid format (repeated flags)");
    const digit = (at: number) => at < template.length && /[0-9]/.test(template[at] as string);
    if (digit(p)) p++;
    if (digit(p)) p++;
    if (template[p] === ".") {
      p++;
      if (digit(p)) p++;
      if (digit(p)) p++;
    }
    if (digit(p)) raiseNative("invalid format (width or precision too long)");
    const conversion = template[p] ?? "";
    const spec = template.slice(i, p + 1);
    i = p + 1;
    switch (conversion) {
      case "c": {
        const code = Math.trunc(checkNumber(args, arg, "format"));
        out += cString(padded(`${spec.slice(0, -1)}s`, String.fromCharCode(((code % 256) + 256) % 256)));
        break;
      }
      case "d":
      case "i":
      case "o":
      case "u":
      case "x":
      case "X":
        out += formatIntegerSpec(spec, checkNumber(args, arg, "format"));
        break;
      case "e":
      case "E":
      case "f":
      case "g":
      case "G":
        out += formatFloatSpec(spec, checkNumber(args, arg, "format"));
        break;
      case "q":
        out += quoted(checkString(args, arg, "format"));
        break;
      case "s": {
        const s = checkString(args, arg, "format");
        out += !spec.includes(".") && s.length >= 100 ? s : padded(spec, cString(s));
        break;
      }
      default:
        raiseNative(`invalid option '%${conversion}' to 'format'`);
    }
  }
  return out;
}

function patternCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PatternError) return raiseNative(error.message);
    throw error;
  }
}

const captureValues = (captures: Capture[]): unknown => (captures.length === 1 ? captures[0] : new Multi(captures));

function replacementText(value: unknown): string | null {
  if (value === undefined || value === false) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberToString(value);
  return raiseNative(`invalid replacement value (a ${typeName(value)})`);
}

function gsubNative(...args: unknown[]): unknown {
  const s = checkString(args, 1, "gsub");
  const pattern = checkString(args, 2, "gsub");
  const replacement = args[2];
  const kind = typeof replacement;
  if (!(kind === "string" || kind === "number" || kind === "function" || replacement instanceof LuaTable)) {
    argError(3, "gsub", "string/function/table expected");
  }
  const max = optInteger(args, 4, "gsub", s.length + 1);
  const line = position.line;
  if (typeof replacement === "string" || typeof replacement === "number") {
    // A template goes to the matcher itself, which builds only the captures it names (as Lua 5.1 does).
    const template = typeof replacement === "number" ? numberToString(replacement) : replacement;
    return new Multi(patternCall(() => gsub(s, pattern, template, max)));
  }
  const replace = (_whole: string, captures: Capture[]): string | null => {
    const key = captures[0];
    const value = replacement instanceof LuaTable ? replacement.get(key) : first((replacement as LuaFunction)(...captures));
    position.line = line;
    return replacementText(value);
  };
  const [result, count] = patternCall(() => gsub(s, pattern, replace, max));
  return new Multi([result, count]);
}

function gmatchNative(...args: unknown[]): LuaFunction {
  const next = patternCall(() => gmatch(checkString(args, 1, "gmatch"), checkString(args, 2, "gmatch")));
  return () => {
    const captures = patternCall(next);
    return captures === null ? NOTHING : captureValues(captures);
  };
}

export const STRING_FUNCTIONS: Record<string, LuaFunction> = {
  byte,
  char,
  find: (...args: unknown[]) => {
    const result = patternCall(() => find(checkString(args, 1, "find"), checkString(args, 2, "find"), optInteger(args, 3, "find", 1), args[3] !== undefined && args[3] !== false));
    return result === null ? undefined : new Multi(result);
  },
  format,
  gmatch: gmatchNative,
  gsub: gsubNative,
  len: (...args: unknown[]) => checkString(args, 1, "len").length,
  lower: (...args: unknown[]) => checkString(args, 1, "lower").replace(ASCII_UPPER, (text) => text.toLowerCase()),
  match: (...args: unknown[]) => {
    const result = patternCall(() => match(checkString(args, 1, "match"), checkString(args, 2, "match"), optInteger(args, 3, "match", 1)));
    return result === null ? undefined : captureValues(result);
  },
  rep: (...args: unknown[]) => {
    const s = checkString(args, 1, "rep");
    const n = checkInteger(args, 2, "rep");
    return n > 0 ? s.repeat(n) : "";
  },
  reverse: (...args: unknown[]) => [...checkString(args, 1, "reverse")].reverse().join(""),
  sub,
  upper: (...args: unknown[]) => checkString(args, 1, "upper").replace(ASCII_LOWER, (text) => text.toUpperCase()),
};
