import { createHash } from "node:crypto";
import type { Trace } from "./trace.ts";

/** SHA-256 over everything a run produced, in a fixed field order: equal hashes mean identical runs. */
export function traceHash(trace: Omit<Trace, "hash">): string {
  const canonical = JSON.stringify([
    trace.format,
    trace.scenario,
    trace.server,
    trace.seed,
    trace.strategy,
    trace.options,
    trace.decisions,
    trace.verdict,
    trace.violations,
    trace.steps,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
