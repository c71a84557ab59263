import type { Step } from "../scheduler/step.ts";
import { CONTINUING_KINDS } from "../trace/events.ts";
import { momentShape } from "../trace/shape.ts";

/**
 * How often each kind of moment has come in a run: a moment is a step that ran, as the lane it ran on, the
 * handler it belongs to and what it did (sim/trace/shape.ts's momentShape). Faults by choice strike new moments
 * more readily than routine ones.
 */
export class Moments {
  private readonly seen = new Map<string, number>();
  private last = 1;

  /** Counts the step that just ran. */
  ran(step: Step): void {
    if (step.event === null) return;
    const handler = CONTINUING_KINDS.has(step.kind) ? step.trigger?.event : step.event;
    const key = `${step.lane.slice(0, step.lane.indexOf(":"))}|${handler ? momentShape(handler) : "world"}|${momentShape(step.event)}`;
    const count = this.seen.get(key) ?? 0;
    this.seen.set(key, count + 1);
    this.last = 1 / (1 + count);
  }

  /** How new the last moment was: 1 the first time a kind of moment came, 1/(n+1) after n others like it. */
  novelty(): number {
    return this.last;
  }
}
