import { writeFileSync } from "node:fs";
import { DEFAULT_SHRINK_LIMITS, shrinkTrace, type ShrinkLimits } from "../shrink/shrink.ts";
import type { Trace } from "../trace/trace.ts";
import { renderTimeline } from "./html.ts";
import { withRedisHistory } from "./with-redis.ts";
import { writeTrace } from "./write-trace.ts";

export interface FailureReport {
  trace: string;
  shrunk: { path: string; trace: Trace } | null;
  html: string;
}

/**
 * Writes a failing run's trace, the shrunk trace beside it unless told not to, and the HTML timeline of both
 * (Redis contents recovered by replaying each).
 */
export async function reportFailure(
  trace: Trace,
  options: { out: string; shrink: boolean; shrinkLimits?: ShrinkLimits; signature?: string },
): Promise<FailureReport> {
  const path = writeTrace(options.out, trace);
  let shrunk: FailureReport["shrunk"] = null;
  if (options.shrink) {
    const result = await shrinkTrace(trace, options.shrinkLimits ?? DEFAULT_SHRINK_LIMITS, options.signature);
    shrunk = { path: writeTrace(options.out, result.shrunk, ".shrunk"), trace: result.shrunk };
  }
  const html = path.replace(/\.trace\.json$/, ".html");
  writeFileSync(
    html,
    renderTimeline({
      original: await withRedisHistory(trace, path),
      ...(shrunk ? { shrunk: await withRedisHistory(shrunk.trace, shrunk.path) } : {}),
    }),
  );
  return { trace: path, shrunk, html };
}
