import type { Violation } from "../oracle/invariants.ts";
import { eventKeys } from "../trace/facts.ts";
import type { Trace } from "../trace/trace.ts";
import { causalSlice, clampStep, type Because, type Slice } from "./slice.ts";
import { TraceGraph } from "./trace-graph.ts";

export { clampStep };

/** Which parts of a trace a violation is about: the report highlights them and the explanation tells them. */
export interface Involvement {
  /** The violating step as an index into `steps` (an end-of-run check may name one past the last step). */
  step: number;
  /** Full player ids: the violation's own, then every player its cause needs. */
  players: string[];
  /** The violation's keys, plus the keys of the sessions its cause went through. */
  keys: string[];
  /** Ascending indices of the steps the cause needs (see causalSlice). */
  steps: number[];
  /** The subset of `steps` that touch a key itself. */
  onKeys: Set<number>;
  /** Why each step is involved. */
  because: Map<number, Because>;
}

/** The involvement of a violation, from its causal slice. */
export function involvement(trace: Trace, violation: Violation, graph = new TraceGraph(trace)): Involvement {
  return fromSlice(trace, violation, causalSlice(trace, violation, graph));
}

export function fromSlice(trace: Trace, violation: Violation, slice: Slice): Involvement {
  const keys = new Set(slice.keys);
  const onKeys = new Set(slice.steps.filter((index) => eventKeys((trace.steps[index] as Trace["steps"][number]).event).some((key) => keys.has(key))));
  return { step: clampStep(trace, violation.step), players: slice.players, keys: slice.keys, steps: slice.steps, onKeys, because: slice.because };
}
