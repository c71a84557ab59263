import { globMatch } from "../glob.ts";
import { ERR, fail, wrongArity } from "../errors.ts";
import { parseInteger } from "../numbers.ts";
import { OK, PONG, Status } from "../reply.ts";
import { isOption, type CommandContext, type CommandTable } from "./command.ts";

const INT64_MAX = 9223372036854775807;

function ttl(ctx: CommandContext, key: string, inMs: boolean): number {
  const entry = ctx.keys.lookup(key);
  if (entry === undefined) return -2;
  if (entry.expiresAt === Infinity) return -1;
  const left = Math.max(0, entry.expiresAt - ctx.now());
  return inMs ? Math.floor(left) : Math.floor((left + 500) / 1000);
}

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

function parseExpireFlags(options: string[]): ExpireFlags {
  const flags = { nx: false, xx: false, gt: false, lt: false };
  for (const option of options) {
    const upper = option.toUpperCase();
    if (upper === "NX") flags.nx = true;
    else if (upper === "XX") flags.xx = true;
    else if (upper === "GT") flags.gt = true;
    else if (upper === "LT") flags.lt = true;
    else fail(`ERR Unsupported option ${option}`);
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) {
    fail("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (flags.gt && flags.lt) fail("ERR GT and LT options at the same time are not compatible");
  return flags;
}

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: `unit` ms per argument unit, `relative` adds the current time. */
function expire(name: string, unit: number, relative: boolean) {
  return (ctx: CommandContext, args: string[]) => {
    const [key, amount, ...options] = args as [string, string, ...string[]];
    const flags = parseExpireFlags(options);
    let when = parseInteger(amount);
    if (Math.abs(when) > INT64_MAX / unit) fail(`ERR invalid expire time in '${name}' command`);
    when *= unit;
    if (relative) when += Math.floor(ctx.now());
    const entry = ctx.keys.lookup(key);
    if (entry === undefined) return 0;
    const current = entry.expiresAt;
    if (flags.nx && current !== Infinity) return 0;
    if (flags.xx && current === Infinity) return 0;
    if (flags.gt && (current === Infinity || when <= current)) return 0;
    if (flags.lt && current !== Infinity && when >= current) return 0;
    if (when <= ctx.now()) ctx.keys.delete(key);
    else entry.expiresAt = when;
    return 1;
  };
}

function scan(ctx: CommandContext, args: string[]) {
  const [cursorText, ...options] = args as [string, ...string[]];
  if (!/^[0-9]+$/.test(cursorText)) fail(ERR.invalidCursor);
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 0; i < options.length; i += 2) {
    const option = options[i] as string;
    const value = options[i + 1];
    if (value === undefined) fail(ERR.syntax);
    if (isOption(option, "COUNT")) {
      count = parseInteger(value);
      if (count < 1) fail(ERR.syntax);
    } else if (isOption(option, "MATCH")) {
      pattern = value === "*" ? null : value;
    } else if (isOption(option, "TYPE")) {
      type = value.toLowerCase();
    } else {
      fail(ERR.syntax);
    }
  }
  const { entries, next } = ctx.keys.scan(Number(cursorText), count);
  const keys: string[] = [];
  for (const entry of entries) {
    if (pattern !== null && !globMatch(pattern, entry.key)) continue;
    if (type !== null && entry.type !== type) continue;
    keys.push(entry.key);
  }
  return [String(next), keys];
}

export const keyCommands: CommandTable = {
  del: { arity: -2, run: (ctx, keys) => keys.filter((key) => ctx.keys.delete(key)).length },
  unlink: { arity: -2, run: (ctx, keys) => keys.filter((key) => ctx.keys.delete(key)).length },
  exists: { arity: -2, run: (ctx, keys) => keys.filter((key) => ctx.keys.lookup(key) !== undefined).length },
  type: {
    arity: 2,
    run: (ctx, [key]) => new Status(ctx.keys.lookup(key as string)?.type ?? "none"),
  },
  expire: { arity: -3, run: expire("expire", 1000, true) },
  pexpire: { arity: -3, run: expire("pexpire", 1, true) },
  expireat: { arity: -3, run: expire("expireat", 1000, false) },
  pexpireat: { arity: -3, run: expire("pexpireat", 1, false) },
  ttl: { arity: 2, run: (ctx, [key]) => ttl(ctx, key as string, false) },
  pttl: { arity: 2, run: (ctx, [key]) => ttl(ctx, key as string, true) },
  persist: {
    arity: 2,
    run: (ctx, [key]) => {
      const entry = ctx.keys.lookup(key as string);
      if (entry === undefined || entry.expiresAt === Infinity) return 0;
      entry.expiresAt = Infinity;
      return 1;
    },
  },
  scan: { arity: -2, run: scan },
  keys: {
    arity: 2,
    run: (ctx, [pattern]) =>
      ctx.keys
        .live()
        .filter((entry) => globMatch(pattern as string, entry.key))
        .map((entry) => entry.key),
  },
  dbsize: { arity: 1, run: (ctx) => ctx.keys.live().length },
  flushall: {
    arity: -1,
    run: (ctx, args) => {
      if (args.length > 1 || (args.length === 1 && !isOption(args[0] as string, "ASYNC") && !isOption(args[0] as string, "SYNC"))) {
        fail(ERR.syntax);
      }
      ctx.keys.flush();
      return OK;
    },
  },
  time: {
    arity: 1,
    run: (ctx) => {
      const micros = Math.floor(ctx.now() * 1000);
      return [String(Math.floor(micros / 1_000_000)), String(micros % 1_000_000)];
    },
  },
  ping: {
    arity: -1,
    run: (_ctx, args) => {
      if (args.length > 1) wrongArity("ping");
      return args.length === 0 ? PONG : (args[0] as string);
    },
  },
  echo: { arity: 2, run: (_ctx, [message]) => message as string },
};
