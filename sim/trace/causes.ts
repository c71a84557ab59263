import type { Trace, TraceStep } from "./trace.ts";

/** Steps whose code continues a chain rather than start one: a command's reply, an HTTP reply or timeout. */
const CONTINUATIONS = new Set(["redis", "http-reply", "http-timeout"]);

/** Each step's cause as a step of the trace (by index), from the ids the steps record. */
export class Causes {
  private readonly byId = new Map<number, TraceStep>();

  constructor(private readonly trace: Pick<Trace, "steps">) {
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
    let current = step;
    for (;;) {
      if (!CONTINUATIONS.has(current.event.kind)) return current;
      const cause = this.of(current);
      if (cause === null) return current;
      current = cause;
    }
  }
}
