import { LuaTable } from "./lua-table.ts";
import { LuaError, numberToString, stringToNumber, typeName } from "./values.ts";

/**
 * What generated code calls for Lua's operators: the fast case (numbers, tables) inline in each helper, the
 * coercions and Lua 5.1's error texts behind it. `desc` names the operand as Lua 5.1 does ("local 'x'").
 */

/**
 * Where compiled code is: natives raise their errors at the line of the call that reached them (0: none). A
 * method call (`s:sub(1)`) records its line negated: Lua 5.1 numbers a method's arguments from after self.
 */
export const position = { line: 0 };

/** The script line of the current call, method or not. */
export function callLine(): number {
  return Math.abs(position.line);
}

/** The string library, looked up by `("x"):len()` and `s.len`; installed by the library module. */
export const stringMethods = new LuaTable();

export function where(line: number): string {
  return line > 0 ? `user_script:${line}: ` : "";
}

/** Raises a runtime error the way luaG_runerror does: positioned at `line`. */
export function raise(line: number, message: string): never {
  throw new LuaError(where(line) + message, line > 0 ? line : null);
}

/** An error raised by a native function: positioned at the script line that called it. */
export function raiseNative(message: string): never {
  return raise(callLine(), message);
}

function typeError(line: number, operation: string, value: unknown, desc: string): never {
  const type = typeName(value);
  return raise(line, desc ? `attempt to ${operation} ${desc} (a ${type} value)` : `attempt to ${operation} a ${type} value`);
}

export function truthy(value: unknown): boolean {
  return value !== undefined && value !== false;
}

export function index(object: unknown, key: unknown, line: number, desc: string): unknown {
  if (object instanceof LuaTable) return object.get(key);
  if (typeof object === "string") return stringMethods.get(key);
  return typeError(line, "index", object, desc);
}

export function field(object: unknown, key: string, line: number, desc: string): unknown {
  if (object instanceof LuaTable) return object.getStr(key);
  if (typeof object === "string") return stringMethods.getStr(key);
  return typeError(line, "index", object, desc);
}

export function setIndex(object: unknown, key: unknown, value: unknown, line: number, desc: string): void {
  if (!(object instanceof LuaTable)) return typeError(line, "index", object, desc);
  if (key === undefined) raise(line, "table index is nil");
  if (typeof key === "number" && Number.isNaN(key)) raise(line, "table index is NaN");
  object.set(key, value);
}

export function setField(object: unknown, key: string, value: unknown, line: number, desc: string): void {
  if (!(object instanceof LuaTable)) return typeError(line, "index", object, desc);
  object.setStr(key, value);
}

export function callError(callee: unknown, line: number, desc: string): never {
  return typeError(line, "call", callee, desc);
}

/**
 * C's pow, which Lua calls: unlike Math.pow, 1 to any power and -1 to an infinite one are 1, and an integer
 * power of an integer is correctly rounded (V8 can be an ulp off beyond 2^53: 1000^42 was 1.0000000000000001e126).
 */
export function luaPow(x: number, y: number): number {
  const result = Math.pow(x, y);
  if (result !== result) return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : result;
  if (Math.abs(result) > 2 ** 53 && Number.isFinite(result) && Number.isInteger(x) && Number.isInteger(y) && y > 0) {
    return Number(BigInt(x) ** BigInt(y));
  }
  return result;
}

function arithOperand(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string") return stringToNumber(value);
  return null;
}

/** Arithmetic with string coercion; `op` is one of + - * / % ^. */
export function arith(op: string, a: unknown, b: unknown, line: number): number {
  const x = arithOperand(a);
  const y = arithOperand(b);
  if (x === null || y === null) typeError(line, "perform arithmetic on", x === null ? a : b, "");
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "%":
      return x - Math.floor(x / y) * y;
    default:
      return luaPow(x, y);
  }
}

export function add(a: unknown, b: unknown, line: number): number {
  return typeof a === "number" && typeof b === "number" ? a + b : arith("+", a, b, line);
}

export function sub(a: unknown, b: unknown, line: number): number {
  return typeof a === "number" && typeof b === "number" ? a - b : arith("-", a, b, line);
}

export function mul(a: unknown, b: unknown, line: number): number {
  return typeof a === "number" && typeof b === "number" ? a * b : arith("*", a, b, line);
}

export function div(a: unknown, b: unknown, line: number): number {
  return typeof a === "number" && typeof b === "number" ? a / b : arith("/", a, b, line);
}

export function mod(a: unknown, b: unknown, line: number): number {
  return typeof a === "number" && typeof b === "number" ? a - Math.floor(a / b) * b : arith("%", a, b, line);
}

export function pow(a: unknown, b: unknown, line: number): number {
  return typeof a === "number" && typeof b === "number" ? luaPow(a, b) : arith("^", a, b, line);
}

export function neg(a: unknown, line: number): number {
  if (typeof a === "number") return -a;
  const x = arithOperand(a);
  if (x === null) return typeError(line, "perform arithmetic on", a, "");
  return -x;
}

function concatOperand(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberToString(value);
  return null;
}

export function concat(a: unknown, b: unknown, line: number): string {
  if (typeof a === "string" && typeof b === "string") return a + b;
  const x = concatOperand(a);
  const y = concatOperand(b);
  if (x === null || y === null) return typeError(line, "concatenate", x === null ? a : b, "");
  return x + y;
}

export function len(value: unknown, line: number, desc: string): number {
  if (typeof value === "string") return value.length;
  if (value instanceof LuaTable) return value.length;
  return typeError(line, "get length of", value, desc);
}

function orderError(line: number, a: unknown, b: unknown): never {
  const x = typeName(a);
  const y = typeName(b);
  return raise(line, x === y ? `attempt to compare two ${x} values` : `attempt to compare ${x} with ${y}`);
}

export function lt(a: unknown, b: unknown, line: number): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "string" && typeof b === "string") return a < b;
  return orderError(line, a, b);
}

export function le(a: unknown, b: unknown, line: number): boolean {
  if (typeof a === "number" && typeof b === "number") return a <= b;
  if (typeof a === "string" && typeof b === "string") return a <= b;
  return orderError(line, a, b);
}

/** A numeric for's control value: Lua 5.1 coerces strings, and names the bad one. */
export function forNumber(value: unknown, what: string, line: number): number {
  const number = arithOperand(value);
  if (number === null) raise(line, `'for' ${what} must be a number`);
  return number;
}
