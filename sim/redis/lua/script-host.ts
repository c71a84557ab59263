import { integerReply } from "../numbers.ts";
import type { EngineReply } from "../reply.ts";

/** What scripts reach outside Lua: command execution and the engine's seeded random source. */
export interface ScriptHost {
  /** Runs a command on behalf of a script; throws RedisCommandError with Redis's script-side texts. */
  call(command: string, args: string[]): EngineReply;
  random(): number;
}

/** Between runs no engine is attached; a call then is a bug in the runtime, not a script error. */
export const NO_HOST: ScriptHost = {
  call: () => {
    throw new Error("redis.call outside a script run");
  },
  random: () => {
    throw new Error("math.random outside a script run");
  },
};

/**
 * A Lua number as an integer reply: Redis casts it to long long (truncation; out of range gives the
 * minimum int64 on x86), and ioredis parses the digits back into a double.
 */
export function integerFromLua(value: number): number {
  if (Number.isNaN(value) || value >= 2 ** 63 || value < -(2 ** 63)) return integerReply("-9223372036854775808");
  const truncated = Math.trunc(value);
  if (truncated === 0) return 0;
  return Math.abs(truncated) <= Number.MAX_SAFE_INTEGER ? truncated : integerReply(BigInt(truncated).toString());
}

