import { ERR, fail } from "../errors.ts";
import { addIntegers, integerReply, parseBigInteger, parseInteger } from "../numbers.ts";
import { OK } from "../reply.ts";
import type { CommandContext, CommandTable } from "./command.ts";

const INT64_MAX = 9223372036854775807;

function getString(ctx: CommandContext, key: string): string | null {
  return ctx.keys.lookupAs(key, "string")?.value ?? null;
}

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  expiry: { unit: "EX" | "PX" | "EXAT" | "PXAT"; amount: string } | null;
}

/** SET's option grammar, including which combinations Redis rejects as a syntax error. */
function parseSetOptions(options: string[]): SetOptions {
  const parsed: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, expiry: null };
  for (let i = 0; i < options.length; i++) {
    const option = (options[i] as string).toUpperCase();
    const next = options[i + 1];
    const unit = parsed.expiry?.unit;
    if (option === "NX" && !parsed.xx) parsed.nx = true;
    else if (option === "XX" && !parsed.nx) parsed.xx = true;
    else if (option === "GET") parsed.get = true;
    else if (option === "KEEPTTL" && parsed.expiry === null) parsed.keepTtl = true;
    else if (
      (option === "EX" || option === "PX" || option === "EXAT" || option === "PXAT") &&
      !parsed.keepTtl &&
      (unit === undefined || unit === option) &&
      next !== undefined
    ) {
      parsed.expiry = { unit: option, amount: next };
      i++;
    } else fail(ERR.syntax);
  }
  return parsed;
}

function expiryTime(ctx: CommandContext, expiry: SetOptions["expiry"], command: string): number {
  if (expiry === null) return Infinity;
  const amount = parseInteger(expiry.amount);
  const seconds = expiry.unit === "EX" || expiry.unit === "EXAT";
  if (amount <= 0 || (seconds && amount > INT64_MAX / 1000)) {
    fail(`ERR invalid expire time in '${command}' command`);
  }
  const ms = seconds ? amount * 1000 : amount;
  return expiry.unit === "EX" || expiry.unit === "PX" ? ms + Math.floor(ctx.now()) : ms;
}

function set(ctx: CommandContext, args: string[]) {
  const [key, value, ...rest] = args as [string, string, ...string[]];
  const options = parseSetOptions(rest);
  const expiresAt = expiryTime(ctx, options.expiry, "set");
  const previous = options.get ? getString(ctx, key) : null;
  const existing = ctx.keys.lookup(key);
  if ((options.nx && existing !== undefined) || (options.xx && existing === undefined)) {
    return options.get ? previous : null;
  }
  const keepTtl = options.keepTtl && existing !== undefined ? existing.expiresAt : expiresAt;
  ctx.keys.overwrite(key, "string", value, keepTtl);
  return options.get ? previous : OK;
}

function setWithExpiry(command: string, unit: "EX" | "PX") {
  return (ctx: CommandContext, [key, amount, value]: string[]) => {
    const expiresAt = expiryTime(ctx, { unit, amount: amount as string }, command);
    ctx.keys.overwrite(key as string, "string", value as string, expiresAt);
    return OK;
  };
}

function incrementBy(ctx: CommandContext, key: string, increment: string): number {
  const entry = ctx.keys.lookupAs(key, "string");
  if (entry === undefined) {
    const created = addIntegers("0", increment, ERR.notInteger);
    ctx.keys.create(key, "string", created);
    return integerReply(created);
  }
  entry.value = addIntegers(entry.value, increment, ERR.notInteger);
  return integerReply(entry.value);
}

function negate(increment: string): string {
  const value = parseBigInteger(increment);
  if (value === null) fail(ERR.notInteger);
  if (value === -(2n ** 63n)) fail("ERR decrement would overflow");
  return (-value).toString();
}

export const stringCommands: CommandTable = {
  get: { arity: 2, run: (ctx, [key]) => getString(ctx, key as string) },
  getdel: {
    arity: 2,
    run: (ctx, [key]) => {
      const value = getString(ctx, key as string);
      if (value !== null) ctx.keys.delete(key as string);
      return value;
    },
  },
  set: { arity: -3, run: set },
  setnx: {
    arity: 3,
    run: (ctx, [key, value]) => {
      if (ctx.keys.lookup(key as string) !== undefined) return 0;
      ctx.keys.create(key as string, "string", value as string);
      return 1;
    },
  },
  setex: { arity: 4, run: setWithExpiry("setex", "EX") },
  psetex: { arity: 4, run: setWithExpiry("psetex", "PX") },
  mget: { arity: -2, run: (ctx, keys) => keys.map((key) => ctx.keys.lookup(key)).map((e) => (e?.type === "string" ? (e.value as string) : null)) },
  incr: { arity: 2, run: (ctx, [key]) => incrementBy(ctx, key as string, "1") },
  decr: { arity: 2, run: (ctx, [key]) => incrementBy(ctx, key as string, "-1") },
  incrby: {
    arity: 3,
    run: (ctx, [key, increment]) => {
      parseInteger(increment as string);
      return incrementBy(ctx, key as string, increment as string);
    },
  },
  decrby: { arity: 3, run: (ctx, [key, decrement]) => incrementBy(ctx, key as string, negate(decrement as string)) },
  strlen: { arity: 2, run: (ctx, [key]) => Buffer.byteLength(getString(ctx, key as string) ?? "") },
  append: {
    arity: 3,
    run: (ctx, [key, suffix]) => {
      const entry = ctx.keys.lookupAs(key as string, "string");
      if (entry === undefined) ctx.keys.create(key as string, "string", suffix as string);
      else entry.value += suffix as string;
      return Buffer.byteLength(entry?.value ?? (suffix as string));
    },
  },
};
