import { DEFAULT_SHRINK_LIMITS, shrinkTrace } from "../shrink/shrink.ts";
import type { Trace } from "../trace/trace.ts";
import { writeTrace } from "./write-trace.ts";

export interface FailureReport {
  trace: string;
  shrunk: { path: string; trace: Trace } | null;
}

/** Writes a failing run's trace and, unless told not to, the shrunk trace beside it. */
export async function reportFailure(trace: Trace, options: { out: string; shrink: boolean }): Promise<FailureReport> {
  const path = writeTrace(options.out, trace);
  if (!options.shrink) return { trace: path, shrunk: null };
  const { shrunk } = await shrinkTrace(trace, DEFAULT_SHRINK_LIMITS);
  return { trace: path, shrunk: { path: writeTrace(options.out, shrunk, ".shrunk"), trace: shrunk } };
}
