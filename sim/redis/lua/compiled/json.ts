import { CjsonError, escapeString, JSON_NULL, MAX_DEPTH, parseJson, SPARSE_RATIO, SPARSE_SAFE } from "../cjson.ts";
import { LuaTable } from "./lua-table.ts";
import { fromBinary, numberToString, toBinary, typeName } from "./values.ts";

/** lua-cjson's encode and decode over compiled-script values, with the same rules as the interpreted path. */

function encodeNumber(value: number): string {
  if (!Number.isFinite(value)) throw new CjsonError("Cannot serialise number: must not be NaN or Inf");
  return numberToString(value);
}

/** Length when the table is an array (keys 1..n), -1 when it must be encoded as an object. */
function arrayLength(table: LuaTable): number {
  const arr = table.arr;
  let max = arr.length;
  let items = 0;
  for (let i = 0; i < arr.length; i++) if (arr[i] !== undefined) items++;
  if (table.hash !== null) {
    for (const [key, value] of table.hash) {
      if (value === undefined) continue;
      if (typeof key !== "number" || !Number.isInteger(key) || key < 1) return -1;
      if (key > max) max = key;
      items++;
    }
  }
  if (max > items * SPARSE_RATIO && max > SPARSE_SAFE) throw new CjsonError("Cannot serialise table: excessively sparse array");
  return max;
}

function encodeKey(key: unknown): string {
  if (typeof key === "string") return escapeString(key);
  if (typeof key === "number") return escapeString(numberToString(key));
  // lua-cjson names the type of the key (json_encode_exception at index -2), not of the table.
  throw new CjsonError(`Cannot serialise ${typeName(key)}: table key must be a number or string`);
}

function encodeTable(table: LuaTable, depth: number): string {
  if (depth > MAX_DEPTH) throw new CjsonError(`Cannot serialise, excessive nesting (${depth})`);
  const length = arrayLength(table);
  if (length > 0) {
    let out = "[";
    for (let i = 1; i <= length; i++) out += (i > 1 ? "," : "") + encodeValue(table.get(i), depth);
    return `${out}]`;
  }
  let out = "{";
  const arr = table.arr;
  for (let i = 0; i < arr.length; i++) {
    if (arr[i] === undefined) continue;
    out += (out.length > 1 ? "," : "") + `${encodeKey(i + 1)}:${encodeValue(arr[i], depth)}`;
  }
  if (table.hash !== null) {
    for (const [key, value] of table.hash) {
      if (value !== undefined) out += (out.length > 1 ? "," : "") + `${encodeKey(key)}:${encodeValue(value, depth)}`;
    }
  }
  return `${out}}`;
}

function encodeValue(value: unknown, depth: number): string {
  switch (typeof value) {
    case "undefined":
      return "null";
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return encodeNumber(value);
    case "string":
      return escapeString(value);
  }
  if (value instanceof LuaTable) return encodeTable(value, depth + 1);
  if (value === JSON_NULL) return "null";
  throw new CjsonError(`Cannot serialise ${typeName(value)}: type not supported`);
}

export function encodeJsonValue(value: unknown): string {
  return encodeValue(value, 0);
}

function toLua(value: unknown): unknown {
  if (value === null) return JSON_NULL;
  if (typeof value === "string") return toBinary(value);
  if (typeof value !== "object") return value;
  if (Array.isArray(value)) return new LuaTable(value.map(toLua));
  const table = new LuaTable();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) table.setStr(toBinary(key), toLua(item));
  return table;
}

export function decodeJsonText(text: string): unknown {
  return toLua(parseJson(fromBinary(text)));
}
