import { argError, checkInteger, checkTable, optInteger, optString } from "./arguments.ts";
import { LuaTable } from "./lua-table.ts";
import { lt, position, raiseNative } from "./operators.ts";
import { first, NOTHING, numberToString, typeName, type LuaFunction } from "./values.ts";

/** Lua 5.1's table library; sort is its quicksort, step for step, so ties and bad comparators end the same. */

function insert(...args: unknown[]): unknown {
  const table = checkTable(args, 1, "insert");
  let end = table.length + 1;
  let pos: number;
  if (args.length === 2) pos = end;
  else if (args.length === 3) {
    pos = checkInteger(args, 2, "insert");
    if (pos > end) end = pos;
    for (let i = end; i > pos; i--) table.set(i, table.get(i - 1));
  } else return raiseNative("wrong number of arguments to 'insert'");
  table.set(pos, args[args.length - 1]);
  return NOTHING;
}

function remove(...args: unknown[]): unknown {
  const table = checkTable(args, 1, "remove");
  const end = table.length;
  let pos = optInteger(args, 2, "remove", end);
  if (!(1 <= pos && pos <= end)) return NOTHING;
  const removed = table.get(pos);
  for (; pos < end; pos++) table.set(pos, table.get(pos + 1));
  table.set(end, undefined);
  return removed;
}

function concat(...args: unknown[]): string {
  const separator = optString(args, 2, "concat", "");
  const table = checkTable(args, 1, "concat");
  let i = optInteger(args, 3, "concat", 1);
  const last = args[3] === undefined ? table.length : checkInteger(args, 4, "concat");
  const field = (at: number): string => {
    const value = table.get(at);
    if (typeof value === "string") return value;
    if (typeof value === "number") return numberToString(value);
    // Redis's Lua (5.1 with its patches) names the type; plain 5.1.5 would say "(at index N)".
    return raiseNative(`invalid value (${typeName(value)}) at index ${at} in table for 'concat'`);
  };
  let out = "";
  for (; i < last; i++) out += field(i) + separator;
  if (i === last) out += field(i);
  return out;
}

function sort(...args: unknown[]): unknown {
  const table = checkTable(args, 1, "sort");
  const comparator = args[1];
  if (comparator !== undefined && typeof comparator !== "function") argError(2, "sort", `function expected, got ${typeName(comparator)}`);
  const line = position.line;
  const less = (a: unknown, b: unknown): boolean => {
    // Compared inside sort (a C function), a bad pair raises without a script position, as in Lua 5.1.
    if (comparator === undefined) return lt(a, b, 0);
    position.line = 0;
    const result = first((comparator as LuaFunction)(a, b));
    return result !== undefined && result !== false;
  };
  auxsort(table, 1, table.length, less, line);
  return NOTHING;
}

function auxsort(t: LuaTable, l: number, u: number, less: (a: unknown, b: unknown) => boolean, line: number): void {
  const swap = (a: number, b: number) => {
    const value = t.get(a);
    t.set(a, t.get(b));
    t.set(b, value);
  };
  const invalid = () => {
    position.line = line;
    raiseNative("invalid order function for sorting");
  };
  while (l < u) {
    if (less(t.get(u), t.get(l))) swap(l, u);
    if (u - l === 1) break;
    let i = Math.floor((l + u) / 2);
    if (less(t.get(i), t.get(l))) swap(i, l);
    else if (less(t.get(u), t.get(i))) swap(i, u);
    if (u - l === 2) break;
    const pivot = t.get(i);
    swap(i, u - 1);
    i = l;
    let j = u - 1;
    for (;;) {
      while (less(t.get(++i), pivot)) if (i > u) invalid();
      while (less(pivot, t.get(--j))) if (j < l) invalid();
      if (j < i) break;
      swap(i, j);
    }
    swap(u - 1, i);
    if (i - l < u - i) {
      j = l;
      i = i - 1;
      l = i + 2;
    } else {
      j = i + 1;
      i = u;
      u = j - 2;
    }
    auxsort(t, j, i, less, line);
  }
}

function maxn(...args: unknown[]): number {
  const table = checkTable(args, 1, "maxn");
  let max = table.length;
  for (const [key, value] of table.hash ?? []) if (typeof key === "number" && key > max && value !== undefined) max = key;
  return max;
}

export const TABLE_FUNCTIONS: Record<string, LuaFunction> = {
  concat,
  getn: (...args: unknown[]) => checkTable(args, 1, "getn").length,
  insert,
  maxn,
  remove,
  setn: () => raiseNative("'setn' is obsolete"),
  sort,
};
