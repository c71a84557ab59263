import { MemberSet } from "../data/member-set.ts";
import { ERR, fail } from "../errors.ts";
import { parseCount, parseInteger } from "../numbers.ts";
import { randomIndex, type CommandContext, type CommandTable } from "./command.ts";

/** Removes `count` random members (all of them when count >= size) and drops the key when emptied. */
function pop(ctx: CommandContext, key: string, count: number): string[] {
  const entry = ctx.keys.lookupAs(key, "set");
  if (entry === undefined) return [];
  const set = entry.value;
  const popped: string[] = [];
  while (popped.length < count && set.size > 0) {
    const member = set.at(randomIndex(ctx, set.size));
    set.delete(member);
    popped.push(member);
  }
  ctx.keys.dropIfEmpty(entry);
  return popped;
}

function randomMembers(ctx: CommandContext, key: string, countText: string): string[] {
  const requested = parseInteger(countText);
  const set = ctx.keys.lookupAs(key, "set")?.value;
  if (set === undefined || requested === 0) return [];
  if (requested < 0) {
    const out: string[] = [];
    for (let i = 0; i < -requested; i++) out.push(set.at(randomIndex(ctx, set.size)));
    return out;
  }
  if (requested >= set.size) return set.toArray();
  // Partial Fisher-Yates over slot numbers: distinct members, each draw from the seeded source.
  const slots = Array.from({ length: set.size }, (_, i) => i);
  const out: string[] = [];
  for (let i = 0; i < requested; i++) {
    const j = i + randomIndex(ctx, slots.length - i);
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
    out.push(set.at(slots[i] as number));
  }
  return out;
}

export const setCommands: CommandTable = {
  sadd: {
    arity: -3,
    run: (ctx, [key, ...members]) => {
      const set = ctx.keys.lookupOrCreate(key as string, "set", () => new MemberSet()).value;
      let added = 0;
      for (const member of members) if (set.add(member)) added++;
      return added;
    },
  },
  srem: {
    arity: -3,
    run: (ctx, [key, ...members]) => {
      const entry = ctx.keys.lookupAs(key as string, "set");
      if (entry === undefined) return 0;
      let removed = 0;
      for (const member of members) if (entry.value.delete(member)) removed++;
      ctx.keys.dropIfEmpty(entry);
      return removed;
    },
  },
  scard: { arity: 2, run: (ctx, [key]) => ctx.keys.lookupAs(key as string, "set")?.value.size ?? 0 },
  sismember: {
    arity: 3,
    run: (ctx, [key, member]) => (ctx.keys.lookupAs(key as string, "set")?.value.has(member as string) ? 1 : 0),
  },
  smismember: {
    arity: -3,
    run: (ctx, [key, ...members]) => {
      const set = ctx.keys.lookupAs(key as string, "set")?.value;
      return members.map((member) => (set?.has(member) ? 1 : 0));
    },
  },
  smembers: { arity: 2, run: (ctx, [key]) => ctx.keys.lookupAs(key as string, "set")?.value.toArray() ?? [] },
  spop: {
    arity: -2,
    run: (ctx, args) => {
      if (args.length > 2) fail(ERR.syntax);
      const [key, countText] = args as [string, string | undefined];
      if (countText === undefined) return pop(ctx, key, 1)[0] ?? null;
      return pop(ctx, key, parseCount(countText));
    },
  },
  srandmember: {
    arity: -2,
    run: (ctx, args) => {
      if (args.length > 2) fail(ERR.syntax);
      const [key, countText] = args as [string, string | undefined];
      if (countText !== undefined) return randomMembers(ctx, key, countText);
      const set = ctx.keys.lookupAs(key, "set")?.value;
      return set === undefined ? null : set.at(randomIndex(ctx, set.size));
    },
  },
};
