import { ERR, wrongArity } from "../errors.ts";
import { addIntegers, integerReply, parseInteger } from "../numbers.ts";
import { OK } from "../reply.ts";
import type { CommandContext, CommandTable } from "./command.ts";

function hash(ctx: CommandContext, key: string): Map<string, string> | undefined {
  return ctx.keys.lookupAs(key, "hash")?.value;
}

function setFields(ctx: CommandContext, name: string, [key, ...pairs]: string[]): number {
  if (pairs.length % 2 !== 0) wrongArity(name);
  const fields = ctx.keys.lookupOrCreate(key as string, "hash", () => new Map()).value;
  let created = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    const field = pairs[i] as string;
    if (!fields.has(field)) created++;
    fields.set(field, pairs[i + 1] as string);
  }
  return created;
}

export const hashCommands: CommandTable = {
  hset: { arity: -4, run: (ctx, args) => setFields(ctx, "hset", args) },
  hmset: {
    arity: -4,
    run: (ctx, args) => {
      setFields(ctx, "hmset", args);
      return OK;
    },
  },
  hsetnx: {
    arity: 4,
    run: (ctx, [key, field, value]) => {
      const fields = ctx.keys.lookupOrCreate(key as string, "hash", () => new Map()).value;
      if (fields.has(field as string)) return 0;
      fields.set(field as string, value as string);
      return 1;
    },
  },
  hget: { arity: 3, run: (ctx, [key, field]) => hash(ctx, key as string)?.get(field as string) ?? null },
  hmget: {
    arity: -3,
    run: (ctx, [key, ...fields]) => {
      const values = hash(ctx, key as string);
      return fields.map((field) => values?.get(field) ?? null);
    },
  },
  hgetall: {
    arity: 2,
    run: (ctx, [key]) => {
      const out: string[] = [];
      for (const [field, value] of hash(ctx, key as string) ?? []) out.push(field, value);
      return out;
    },
  },
  hkeys: { arity: 2, run: (ctx, [key]) => [...(hash(ctx, key as string)?.keys() ?? [])] },
  hvals: { arity: 2, run: (ctx, [key]) => [...(hash(ctx, key as string)?.values() ?? [])] },
  hlen: { arity: 2, run: (ctx, [key]) => hash(ctx, key as string)?.size ?? 0 },
  hexists: { arity: 3, run: (ctx, [key, field]) => (hash(ctx, key as string)?.has(field as string) ? 1 : 0) },
  hstrlen: {
    arity: 3,
    run: (ctx, [key, field]) => Buffer.byteLength(hash(ctx, key as string)?.get(field as string) ?? ""),
  },
  hdel: {
    arity: -3,
    run: (ctx, [key, ...fields]) => {
      const entry = ctx.keys.lookupAs(key as string, "hash");
      if (entry === undefined) return 0;
      let removed = 0;
      for (const field of fields) if (entry.value.delete(field)) removed++;
      ctx.keys.dropIfEmpty(entry);
      return removed;
    },
  },
  hincrby: {
    arity: 4,
    run: (ctx, [key, field, increment]) => {
      parseInteger(increment as string);
      const fields = ctx.keys.lookupOrCreate(key as string, "hash", () => new Map()).value;
      const next = addIntegers(fields.get(field as string) ?? "0", increment as string, ERR.hashNotInteger);
      fields.set(field as string, next);
      return integerReply(next);
    },
  },
};
