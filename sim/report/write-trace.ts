import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Trace } from "../trace/trace.ts";

export function traceFileName(trace: Trace, suffix = ""): string {
  return `${trace.scenario}-${trace.server}-${trace.strategy}-seed${trace.seed}${suffix}.trace.json`;
}

/** Writes a trace under `dir`, creating it; returns the path. */
export function writeTrace(dir: string, trace: Trace, suffix = ""): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, traceFileName(trace, suffix));
  writeFileSync(path, `${JSON.stringify(trace)}\n`);
  return path;
}
