import { wrongArity } from "../errors.ts";
import { parseCount, parseInteger } from "../numbers.ts";
import type { CommandContext, CommandTable } from "./command.ts";

function push(ctx: CommandContext, [key, ...values]: string[], left: boolean): number {
  const list = ctx.keys.lookupOrCreate(key as string, "list", () => []).value;
  if (left) for (const value of values) list.unshift(value);
  else list.push(...values);
  return list.length;
}

function pop(ctx: CommandContext, name: string, args: string[], left: boolean) {
  if (args.length > 2) wrongArity(name);
  let count: number | null = null;
  if (args[1] !== undefined) {
    count = parseCount(args[1]);
  }
  const entry = ctx.keys.lookupAs(args[0] as string, "list");
  if (entry === undefined) return null;
  if (count === 0) return [];
  const list = entry.value;
  const taken = left ? list.splice(0, count ?? 1) : list.splice(Math.max(0, list.length - (count ?? 1))).reverse();
  ctx.keys.dropIfEmpty(entry);
  return count === null ? (taken[0] ?? null) : taken;
}

export const listCommands: CommandTable = {
  lpush: { arity: -3, run: (ctx, args) => push(ctx, args, true) },
  rpush: { arity: -3, run: (ctx, args) => push(ctx, args, false) },
  lpop: { arity: -2, run: (ctx, args) => pop(ctx, "lpop", args, true) },
  rpop: { arity: -2, run: (ctx, args) => pop(ctx, "rpop", args, false) },
  llen: { arity: 2, run: (ctx, [key]) => ctx.keys.lookupAs(key as string, "list")?.value.length ?? 0 },
  lrange: {
    arity: 4,
    run: (ctx, [key, startText, endText]) => {
      let start = parseInteger(startText as string);
      let end = parseInteger(endText as string);
      const list = ctx.keys.lookupAs(key as string, "list")?.value;
      if (list === undefined) return [];
      const length = list.length;
      if (start < 0) start += length;
      if (end < 0) end += length;
      if (start < 0) start = 0;
      if (start > end || start >= length) return [];
      return list.slice(start, Math.min(end, length - 1) + 1);
    },
  },
  lindex: {
    arity: 3,
    run: (ctx, [key, indexText]) => {
      const list = ctx.keys.lookupAs(key as string, "list")?.value;
      if (list === undefined) return null;
      const index = parseInteger(indexText as string);
      return list[index < 0 ? list.length + index : index] ?? null;
    },
  },
};
