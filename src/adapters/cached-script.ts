import { createHash } from "node:crypto";
import type { LuaScript, RedisArg, RedisReply } from "../ports/index.ts";

const shas = new WeakMap<LuaScript, string>();

/** The SHA1 Redis knows a script by, computed once per script. */
export function scriptSha(script: LuaScript): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash("sha1").update(script.source).digest("hex");
    shas.set(script, sha);
  }
  return sha;
}

/**
 * EVALSHA, and EVAL when Redis has forgotten the script (a restart, a failover, SCRIPT FLUSH), which loads it
 * for the next EVALSHA. The one place that fallback lives, so that any RedisPort talking to a Redis (the real
 * one, or a simulated one that loses its scripts) runs the same code.
 */
export async function runCachedScript(
  call: (command: string, ...args: RedisArg[]) => Promise<RedisReply>,
  script: LuaScript,
  keys: readonly string[],
  args: readonly RedisArg[],
): Promise<RedisReply> {
  try {
    return await call("EVALSHA", scriptSha(script), keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return call("EVAL", script.source, keys.length, ...keys, ...args);
  }
}
