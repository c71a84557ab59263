import type { Violation } from "../oracle/invariants.ts";
import { signatureOf, type Signature } from "../signature/signature.ts";
import type { Trace } from "../trace/trace.ts";
import { KITS, type SeedDefect } from "../variants/index.ts";
import { causalSlice, type Slice } from "./slice.ts";
import { TraceGraph } from "./trace-graph.ts";

/** What a report names a failure by: the seed defect it was recognised as, if any, and its signature. */
export interface NamedCause {
  defect: SeedDefect | null;
  signature: Signature;
  /** One line: "seed defect 2: ..." or "signature 1a2b3c4d5e6f: ...". */
  text: string;
}

export function nameCause(trace: Trace, violation: Violation, graph = new TraceGraph(trace), slice: Slice = causalSlice(trace, violation, graph)): NamedCause {
  const defect = KITS[trace.server].seedDefect?.({ violation, steps: slice.steps, players: slice.players, graph }) ?? null;
  const signature = signatureOf(trace, violation);
  const text = defect !== null ? `seed defect ${defect.defect}: ${defect.name}` : `signature ${signature.id}: ${signature.summary}`;
  return { defect, signature, text };
}
