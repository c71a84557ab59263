import { SortedSet, type ScoredMember } from "../data/sorted-set.ts";
import { ERR, fail } from "../errors.ts";
import { formatDouble, parseCount, parseDouble, parseInteger, parseRangeDouble } from "../numbers.ts";
import { isOption, type CommandContext, type CommandTable } from "./command.ts";

function zset(ctx: CommandContext, key: string): SortedSet | undefined {
  return ctx.keys.lookupAs(key, "zset")?.value;
}

function parseScore(text: string): number {
  const score = parseDouble(text);
  if (score === null) fail(ERR.notFloat);
  return score;
}

interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

const NAN_SCORE = "ERR resulting score is not a number (NaN)";

function zadd(ctx: CommandContext, args: string[], forceIncr: boolean) {
  const key = args[0] as string;
  const flags: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: forceIncr };
  let at = 1;
  for (; at < args.length; at++) {
    const option = (args[at] as string).toUpperCase();
    if (option === "NX") flags.nx = true;
    else if (option === "XX") flags.xx = true;
    else if (option === "GT") flags.gt = true;
    else if (option === "LT") flags.lt = true;
    else if (option === "CH") flags.ch = true;
    else if (option === "INCR") flags.incr = true;
    else break;
  }
  const pairs = args.length - at;
  if (pairs === 0 || pairs % 2 !== 0) fail(ERR.syntax);
  if (flags.nx && flags.xx) fail("ERR XX and NX options at the same time are not compatible");
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    fail("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (flags.incr && pairs > 2) fail("ERR INCR option supports a single increment-element pair");
  const scores: number[] = [];
  for (let i = at; i < args.length; i += 2) scores.push(parseScore(args[i] as string));

  let entry = ctx.keys.lookupAs(key, "zset");
  if (entry === undefined) {
    if (flags.xx) return flags.incr ? null : 0;
    entry = ctx.keys.create(key, "zset", new SortedSet());
  }
  const set = entry.value;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let last = 0;
  for (let j = 0; j < scores.length; j++) {
    const member = args[at + 1 + j * 2] as string;
    let score = scores[j] as number;
    const current = set.score(member);
    if (current !== undefined) {
      if (flags.nx) continue;
      if (flags.incr) {
        score += current;
        if (Number.isNaN(score)) fail(NAN_SCORE);
      }
      if ((flags.lt && score >= current) || (flags.gt && score <= current)) continue;
      if (score !== current) {
        set.set(member, score);
        updated++;
      }
    } else {
      if (flags.xx) continue;
      set.set(member, score);
      added++;
    }
    processed++;
    last = score;
  }
  ctx.keys.dropIfEmpty(entry);
  if (flags.incr) return processed > 0 ? formatDouble(last) : null;
  return flags.ch ? added + updated : added;
}

interface Bound {
  value: number;
  exclusive: boolean;
}

function parseBound(text: string): Bound {
  const exclusive = text.startsWith("(");
  const value = parseRangeDouble(exclusive ? text.slice(1) : text);
  if (value === null) fail(ERR.minMaxNotFloat);
  return { value, exclusive };
}

interface LexBound {
  value: string;
  kind: "inclusive" | "exclusive" | "min" | "max";
}

function parseLexBound(text: string): LexBound {
  if (text === "-") return { value: "", kind: "min" };
  if (text === "+") return { value: "", kind: "max" };
  if (text.startsWith("[")) return { value: text.slice(1), kind: "inclusive" };
  if (text.startsWith("(")) return { value: text.slice(1), kind: "exclusive" };
  return fail("ERR min or max not valid string range item");
}

function withScores(members: ScoredMember[], scores: boolean): string[] {
  if (!scores) return members.map((m) => m.member);
  const out: string[] = [];
  for (const { member, score } of members) out.push(member, formatDouble(score));
  return out;
}

function byRank(set: SortedSet, startIn: number, endIn: number, reverse: boolean): ScoredMember[] {
  const length = set.size;
  let start = startIn < 0 ? length + startIn : startIn;
  let end = endIn < 0 ? length + endIn : endIn;
  if (start < 0) start = 0;
  if (start > end || start >= length) return [];
  if (end >= length) end = length - 1;
  if (!reverse) return set.slice(start, end + 1);
  return set.slice(length - 1 - end, length - start).reverse();
}

/** Applies LIMIT the way Redis walks its skiplist: a negative offset skips everything, a negative count takes all. */
function limit(indexes: [first: number, end: number], reverse: boolean, set: SortedSet, offset: number, count: number): ScoredMember[] {
  const [first, end] = indexes;
  if (offset < 0) return [];
  const available = Math.max(0, end - first);
  const skip = Math.min(offset, available);
  const take = count < 0 ? available - skip : Math.min(count, available - skip);
  if (take <= 0) return [];
  if (!reverse) return set.slice(first + skip, first + skip + take);
  return set.slice(end - skip - take, end - skip).reverse();
}

function byScore(set: SortedSet, min: Bound, max: Bound, reverse: boolean, offset: number, count: number): ScoredMember[] {
  if (offset > 0 && offset >= set.size) return [];
  if (min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive))) return [];
  const first = set.firstAtLeast(min.value, min.exclusive);
  const end = set.endAtMost(max.value, max.exclusive);
  return limit([first, Math.max(first, end)], reverse, set, offset, count);
}

function byLex(set: SortedSet, min: LexBound, max: LexBound, reverse: boolean, offset: number, count: number): ScoredMember[] {
  if (offset > 0 && offset >= set.size) return [];
  const first = min.kind === "min" ? 0 : min.kind === "max" ? set.size : set.lexLowerBound(min.value, min.kind === "exclusive");
  const end =
    max.kind === "max" ? set.size : max.kind === "min" ? 0 : set.lexLowerBound(max.value, max.kind === "inclusive");
  return limit([first, Math.max(first, end)], reverse, set, offset, count);
}

type RangeType = "rank" | "score" | "lex";

/** ZRANGE and its older variants, following zrangeGenericCommand's parse order and error texts. */
function zrange(ctx: CommandContext, args: string[], fixedType: RangeType | null, fixedReverse: boolean | null) {
  const [key, minArg, maxArg] = args as [string, string, string];
  let type: RangeType | null = fixedType;
  let reverse: boolean | null = fixedReverse;
  let scores = false;
  let offset = 0;
  let count = -1;
  for (let j = 3; j < args.length; j++) {
    const option = args[j] as string;
    const left = args.length - j - 1;
    if (isOption(option, "WITHSCORES")) scores = true;
    else if (isOption(option, "LIMIT") && left >= 2) {
      offset = parseInteger(args[j + 1] as string);
      count = parseInteger(args[j + 2] as string);
      j += 2;
    } else if (reverse === null && isOption(option, "REV")) reverse = true;
    else if (type === null && isOption(option, "BYLEX")) type = "lex";
    else if (type === null && isOption(option, "BYSCORE")) type = "score";
    else fail(ERR.syntax);
  }
  const rangeType = type ?? "rank";
  const rev = reverse ?? false;
  if (count !== -1 && rangeType === "rank") {
    fail("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (scores && rangeType === "lex") fail("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  const [low, high] = rev && rangeType !== "rank" ? [maxArg, minArg] : [minArg, maxArg];
  // Bounds are parsed before the key is read: a bad bound is an error even on a missing or wrong-typed key.
  const range =
    rangeType === "rank"
      ? { type: rangeType, start: parseInteger(low), end: parseInteger(high) }
      : rangeType === "score"
        ? { type: rangeType, min: parseBound(low), max: parseBound(high) }
        : { type: rangeType, min: parseLexBound(low), max: parseLexBound(high) };
  const set = zset(ctx, key);
  if (set === undefined) return [];
  const members =
    range.type === "rank"
      ? byRank(set, range.start, range.end, rev)
      : range.type === "score"
        ? byScore(set, range.min, range.max, rev, offset, count)
        : byLex(set, range.min, range.max, rev, offset, count);
  return withScores(members, scores);
}

function popMin(ctx: CommandContext, args: string[], fromMax: boolean) {
  if (args.length > 2) fail(ERR.syntax);
  let count = 1;
  if (args[1] !== undefined) {
    count = parseCount(args[1]);
  }
  const entry = ctx.keys.lookupAs(args[0] as string, "zset");
  if (entry === undefined || count === 0) return [];
  const set = entry.value;
  const out: string[] = [];
  while (count-- > 0 && set.size > 0) {
    const { member, score } = set.at(fromMax ? set.size - 1 : 0);
    set.delete(member);
    out.push(member, formatDouble(score));
  }
  ctx.keys.dropIfEmpty(entry);
  return out;
}

function countInRange(set: SortedSet | undefined, min: Bound, max: Bound): [number, number] {
  if (set === undefined) return [0, 0];
  const first = set.firstAtLeast(min.value, min.exclusive);
  return [first, Math.max(first, set.endAtMost(max.value, max.exclusive))];
}

export const sortedSetCommands: CommandTable = {
  zadd: { arity: -4, run: (ctx, args) => zadd(ctx, args, false) },
  zincrby: { arity: 4, run: (ctx, [key, increment, member]) => zadd(ctx, [key as string, increment as string, member as string], true) },
  zrem: {
    arity: -3,
    run: (ctx, [key, ...members]) => {
      const entry = ctx.keys.lookupAs(key as string, "zset");
      if (entry === undefined) return 0;
      let removed = 0;
      for (const member of members) if (entry.value.delete(member)) removed++;
      ctx.keys.dropIfEmpty(entry);
      return removed;
    },
  },
  zcard: { arity: 2, run: (ctx, [key]) => zset(ctx, key as string)?.size ?? 0 },
  zscore: {
    arity: 3,
    run: (ctx, [key, member]) => {
      const score = zset(ctx, key as string)?.score(member as string);
      return score === undefined ? null : formatDouble(score);
    },
  },
  zmscore: {
    arity: -3,
    run: (ctx, [key, ...members]) => {
      const set = zset(ctx, key as string);
      return members.map((member) => {
        const score = set?.score(member);
        return score === undefined ? null : formatDouble(score);
      });
    },
  },
  zrank: { arity: 3, run: (ctx, [key, member]) => zset(ctx, key as string)?.rank(member as string) ?? null },
  zrevrank: {
    arity: 3,
    run: (ctx, [key, member]) => {
      const set = zset(ctx, key as string);
      const rank = set?.rank(member as string);
      return set === undefined || rank === undefined ? null : set.size - 1 - rank;
    },
  },
  zcount: {
    arity: 4,
    run: (ctx, [key, min, max]) => {
      const low = parseBound(min as string);
      const high = parseBound(max as string);
      const [first, end] = countInRange(zset(ctx, key as string), low, high);
      return end - first;
    },
  },
  zremrangebyscore: {
    arity: 4,
    run: (ctx, [key, min, max]) => {
      const low = parseBound(min as string);
      const high = parseBound(max as string);
      const entry = ctx.keys.lookupAs(key as string, "zset");
      const [first, end] = countInRange(entry?.value, low, high);
      if (entry === undefined) return 0;
      for (const { member } of entry.value.slice(first, end)) entry.value.delete(member);
      ctx.keys.dropIfEmpty(entry);
      return end - first;
    },
  },
  zrange: { arity: -4, run: (ctx, args) => zrange(ctx, args, null, null) },
  zrevrange: { arity: -4, run: (ctx, args) => zrange(ctx, args, "rank", true) },
  zrangebyscore: { arity: -4, run: (ctx, args) => zrange(ctx, args, "score", false) },
  zrevrangebyscore: { arity: -4, run: (ctx, args) => zrange(ctx, args, "score", true) },
  zrangebylex: { arity: -4, run: (ctx, args) => zrange(ctx, args, "lex", false) },
  zpopmin: { arity: -2, run: (ctx, args) => popMin(ctx, args, false) },
  zpopmax: { arity: -2, run: (ctx, args) => popMin(ctx, args, true) },
};
