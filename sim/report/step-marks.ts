import { isRedisFailure, isRefusedLock } from "../trace/facts.ts";
import { gaveUpAt } from "./fate.ts";
import { laneName } from "./text.ts";
import type { TraceGraph } from "./trace-graph.ts";

/** How a step went against what its sender meant, as the timeline marks it. */
export const MARK_KINDS = ["refused", "dropped", "failed", "late"] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

export interface StepMark {
  kind: MarkKind;
  /** What the badge says: who held a refused lock, where a dropped message's handler gave up. */
  text: string;
}

/** A step's mark, or null when it did what its sender meant. */
export function stepMark(graph: TraceGraph, index: number): StepMark | null {
  const event = graph.steps[index]?.event;
  if (event === undefined) return null;
  if (isRefusedLock(event)) {
    const holder = graph.holder(index);
    const by = holder === null ? "elsewhere" : `by ${laneName(graph.steps[holder]?.lane ?? "")} since step ${holder}`;
    return { kind: "refused", text: `refused: the lock is held ${by}` };
  }
  if (event.kind === "redis" && isRedisFailure(event)) {
    return { kind: "failed", text: event.outcome === "error" ? "failed" : event.outcome === "lost-before" ? "lost before Redis" : "applied, reply lost" };
  }
  if ((event.kind === "frame-in" || event.kind === "frame-out") && event.dropped) {
    return { kind: "dropped", text: event.kind === "frame-in" ? "dropped: the connection was closed" : "dropped: the player had closed" };
  }
  const refused = gaveUpAt(graph, index);
  if (refused !== null) {
    const holder = graph.holder(refused);
    const by = holder === null ? "" : `, held by ${laneName(graph.steps[holder]?.lane ?? "")}`;
    return { kind: "dropped", text: `dropped: its handler gave up at step ${refused} (lock refused${by})` };
  }
  if (event.kind === "http-reply" && event.late) return { kind: "late", text: "too late: the request had timed out" };
  return null;
}

/**
 * The step a step is the arrival of, when that was on another lane: a delivery's PUBLISH, a frame's sender, a
 * handler's frame or close, an HTTP reply's or timeout's request; for a refused lock, the acquisition that held
 * it. -1 when there is none.
 */
export function arrivalOf(graph: TraceGraph, index: number): number {
  const step = graph.steps[index];
  if (step === undefined) return -1;
  if (isRefusedLock(step.event)) return graph.holder(index) ?? -1;
  if (step.event.kind === "http-reply") return graph.root(index);
  const cause = graph.cause(index);
  if (cause === null) return -1;
  if (step.event.kind === "http-timeout") return graph.children(cause).find((child) => graph.steps[child]?.event.kind === "http-request") ?? -1;
  return graph.steps[cause]?.lane === step.lane ? -1 : cause;
}
