import type { Violation } from "../oracle/invariants.ts";
import type { Trace } from "../trace/trace.ts";
import { causalSlice, clampStep, type Because, type Slice } from "./slice.ts";
import { TraceGraph } from "./trace-graph.ts";

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
  /** Why each step is involved. */
  because: Map<number, Because>;
}

/** The involvement of a violation, from its causal slice. */
export function involvement(trace: Trace, violation: Violation, graph = new TraceGraph(trace)): Involvement {
  return fromSlice(trace, violation, causalSlice(trace, violation, graph));
}

export function fromSlice(trace: Trace, violation: Violation, slice: Slice): Involvement {
  return { step: clampStep(trace, violation.step), players: slice.players, keys: slice.keys, steps: slice.steps, because: slice.because };
}
