import { rerun } from "../run/rerun.ts";
import type { Trace } from "../trace/trace.ts";
import type { TraceWithRedis } from "./html.ts";
import { RedisHistory } from "./redis-history.ts";

/**
 * A trace keeps commands and replies, not Redis's contents: replaying it with an observer recovers, per
 * step, the keys it changed. A different hash means the code changed since the trace was recorded, and the
 * contents would belong to another run: the timeline then goes without them, and says why.
 */
export async function withRedisHistory(trace: Trace, path?: string): Promise<TraceWithRedis> {
  const history = new RedisHistory();
  const where = path === undefined ? {} : { path };
  let again: Trace;
  try {
    again = await rerun(trace, { observe: history.observe });
  } catch (error) {
    return { trace, redis: [], ...where, redisMissing: `replaying the trace failed (${error instanceof Error ? error.message : String(error)})` };
  }
  if (again.hash !== trace.hash) {
    return { trace, redis: [], ...where, redisMissing: "the code changed since this trace was recorded, so replaying it gives another run" };
  }
  return { trace, redis: history.changes, ...where };
}
