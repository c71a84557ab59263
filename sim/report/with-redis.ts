import { rerun } from "../run/rerun.ts";
import type { Trace } from "../trace/trace.ts";
import type { TraceWithRedis } from "./html.ts";
import { RedisHistory } from "./redis-history.ts";

/**
 * A trace keeps commands and replies, not Redis's contents: replaying it with an observer recovers, per
 * step, the keys it changed. A different hash means the code changed since the trace was recorded, and the
 * contents would belong to another run.
 */
export async function withRedisHistory(trace: Trace, path?: string): Promise<TraceWithRedis> {
  const history = new RedisHistory();
  const again = await rerun(trace, { observe: history.observe });
  if (again.hash !== trace.hash) {
    throw new Error(`replaying ${path ?? "the trace"} gave a different run (hash ${again.hash.slice(0, 12)}, recorded ${trace.hash.slice(0, 12)}): the code changed since it was recorded`);
  }
  return { trace, redis: history.changes, ...(path === undefined ? {} : { path }) };
}
