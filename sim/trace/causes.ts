import { CONTINUING_KINDS } from "./events.ts";
import type { Trace, TraceStep } from "./trace.ts";

/** Each step's cause as a step of the trace (by index), from the ids the steps record. */
export class Causes {
  private readonly byId = new Map<number, TraceStep>();
  private readonly roots = new Map<number, TraceStep>();

  constructor(trace: Pick<Trace, "steps">) {
    for (const step of trace.steps) this.byId.set(step.id, step);
  }

  /** The step whose code made this one, when it ran in this trace. */
  of(step: TraceStep): TraceStep | null {
    return step.cause === null ? null : (this.byId.get(step.cause) ?? null);
  }

  /**
   * The step that started the chain this one belongs to: following causes back through replies to the frame,
   * close, timer, delivery, player action or fault that set the handler going. The step itself when it starts one.
   */
  root(step: TraceStep): TraceStep {
    const known = this.roots.get(step.id);
    if (known !== undefined) return known;
    let current = step;
    for (;;) {
      if (!CONTINUING_KINDS.has(current.event.kind)) break;
      const cause = this.of(current);
      if (cause === null) break;
      current = cause;
    }
    this.roots.set(step.id, current);
    return current;
  }
}
