import { createHash } from "node:crypto";
import type { TraceBody } from "./trace.ts";

/**
 * SHA-256 over everything a run produced, in a fixed field order: equal hashes mean identical runs. The code
 * revision is left out, so a run that behaves the same on other code keeps its hash.
 */
export function traceHash(trace: TraceBody): string {
  const canonical = JSON.stringify([
    trace.format,
    trace.scenario,
    trace.server,
    trace.seed,
    trace.strategy,
    trace.options,
    trace.stopAtFirst,
    trace.decisions,
    trace.verdict,
    trace.violations,
    trace.steps,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
