import type { Trace } from "../trace/trace.ts";
import type { Violation } from "../oracle/invariants.ts";
import { DEFAULT_SHRINK_LIMITS, shrinkTrace, violationWith, type ShrinkLimits } from "../shrink/shrink.ts";
import { nameCause, type NamedCause } from "./cause.ts";
import { renderTimeline, type TraceWithRedis } from "./html.ts";
import { withRedisHistory } from "./with-redis.ts";
import { shrunkTracePath, timelinePath, writeReportFile, writeTrace, writeTraceTo } from "./write-trace.ts";

export interface ShrunkReport {
  path: string;
  trace: Trace;
  runs: number;
  /** Wall-clock ms the search took. */
  ms: number;
}

export interface FailureReport {
  trace: string;
  shrunk: ShrunkReport | null;
  html: string;
  /** What the first violation is: a seed defect, or its signature. */
  cause: NamedCause | null;
}

/** Shrinks a failing trace and writes the result beside `path` (or in `dir`). */
export async function writeShrunk(
  trace: Trace,
  path: string,
  dir?: string,
  limits: ShrinkLimits = DEFAULT_SHRINK_LIMITS,
  violation: Violation | undefined = trace.violations[0],
): Promise<ShrunkReport> {
  const started = performance.now();
  const result = await shrinkTrace(trace, limits, violation);
  const ms = Math.round(performance.now() - started);
  return { path: writeTraceTo(shrunkTracePath(path, dir), result.shrunk), trace: result.shrunk, runs: result.runs, ms };
}

/**
 * Writes the HTML timeline of a trace (and of its shrunk trace, as a second tab with what shrinking removed),
 * Redis contents recovered by replaying each; says, for each, why they are missing when they are.
 */
export async function writeTimeline(path: string, original: { trace: Trace; path?: string }, shrunk?: { trace: Trace; path?: string }): Promise<{ path: string; views: TraceWithRedis[] }> {
  const views = [await withRedisHistory(original.trace, original.path)];
  if (shrunk) views.push(await withRedisHistory(shrunk.trace, shrunk.path));
  const [first, second] = views as [TraceWithRedis, TraceWithRedis | undefined];
  writeReportFile(path, renderTimeline({ original: first, ...(second ? { shrunk: second } : {}) }));
  return { path, views };
}

/**
 * Writes a failing run's trace, the shrunk trace beside it unless told not to, and the HTML timeline of both.
 * The bug reported is the violation with `signature` (a campaign's bug), else the first violation.
 */
export async function reportFailure(trace: Trace, options: { out: string; shrink: boolean; shrinkLimits?: ShrinkLimits; signature?: string }): Promise<FailureReport> {
  const path = writeTrace(options.out, trace);
  const violation = options.signature === undefined ? trace.violations[0] : (violationWith(trace, options.signature) ?? trace.violations[0]);
  const shrunk = options.shrink ? await writeShrunk(trace, path, undefined, options.shrinkLimits, violation) : null;
  const { path: html } = await writeTimeline(timelinePath(path), { trace, path }, shrunk ?? undefined);
  return { trace: path, shrunk, html, cause: violation === undefined ? null : nameCause(trace, violation) };
}
