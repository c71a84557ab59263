import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../cli/exit-codes.ts";
import type { Trace } from "../trace/trace.ts";

const TRACE_SUFFIX = ".trace.json";
const SHRUNK = ".shrunk";

export function traceFileName(trace: Trace, suffix = ""): string {
  return `${trace.scenario}-${trace.server}-${trace.strategy}-seed${trace.seed}${suffix}${TRACE_SUFFIX}`;
}

/** A trace file's name without `.trace.json` (and without `.shrunk`): what the files made from it are named after. */
export function reportStem(path: string): string {
  const name = basename(path);
  const stem = name.endsWith(TRACE_SUFFIX) ? name.slice(0, -TRACE_SUFFIX.length) : name.replace(/\.json$/, "");
  return stem.endsWith(SHRUNK) ? stem.slice(0, -SHRUNK.length) : stem;
}

/** Where the shrunk trace of the trace at `path` goes: beside it, or in `dir`. */
export function shrunkTracePath(path: string, dir = dirname(path)): string {
  return join(dir, `${reportStem(path)}${SHRUNK}${TRACE_SUFFIX}`);
}

/** Where the timeline of the trace at `path` goes: beside it, or in `dir`. */
export function timelinePath(path: string, dir = dirname(path)): string {
  return join(dir, `${reportStem(path)}.html`);
}

/** Writes a file, creating its folder; a folder or file that cannot be written is bad input, said in one line. */
export function writeReportFile(path: string, text: string): string {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot write ${path} (${code})`);
  }
  return path;
}

/** Writes a trace under `dir`, creating it; returns the path. */
export function writeTrace(dir: string, trace: Trace, suffix = ""): string {
  return writeTraceTo(join(dir, traceFileName(trace, suffix)), trace);
}

export function writeTraceTo(path: string, trace: Trace): string {
  return writeReportFile(path, `${JSON.stringify(trace)}\n`);
}
