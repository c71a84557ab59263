import { isRefusedLock } from "../trace/facts.ts";
import type { TraceGraph } from "./trace-graph.ts";

/**
 * Where the handler a frame or a close started gave up: the refused lock its chain of commands ended at (the
 * handler returned without doing what the frame asked), or null when it did not. Its message was dropped.
 */
export function gaveUpAt(graph: TraceGraph, start: number): number | null {
  const kind = graph.steps[start]?.event.kind;
  if (kind !== "frame-in" && kind !== "close") return null;
  const pending = [...graph.children(start)];
  while (pending.length > 0) {
    const index = pending.pop() as number;
    const event = graph.steps[index]?.event;
    if (event?.kind !== "redis") continue;
    const next = graph.children(index);
    if (isRefusedLock(event) && next.length === 0) return index;
    pending.push(...next);
  }
  return null;
}
