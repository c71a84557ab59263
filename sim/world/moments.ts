import type { Step } from "../scheduler/step.ts";
import { CONTINUING_KINDS, type StepEvent } from "../trace/events.ts";
import { momentShape } from "../trace/shape.ts";

/**
 * How often each kind of moment has come in a run: a moment is a step that ran, as the lane it ran on, the
 * handler it belongs to and what it did (sim/trace/shape.ts's momentShape). Faults by choice strike new moments
 * more readily than routine ones.
 *
 * Steps are counted only when novelty() is asked: most steps of a run come after its last strike was offered,
 * and their shapes would be built for nobody. Counting them later in the same order gives the same counts, as
 * a step's lane and events never change once it ran.
 */
export class Moments {
  private readonly seen = new Map<string, number>();
  /** The steps run since novelty() was last asked, three entries each: lane, handler's event (null: the world's own), event. */
  private readonly uncounted: Array<string | StepEvent | null> = [];
  private last = 1;

  /** Notes the step that just ran. */
  ran(step: Step): void {
    if (step.event === null) return;
    const handler = CONTINUING_KINDS.has(step.kind) ? step.trigger?.event : step.event;
    this.uncounted.push(step.lane, handler ?? null, step.event);
  }

  /** How new the last moment was: 1 the first time a kind of moment came, 1/(n+1) after n others like it. */
  novelty(): number {
    const uncounted = this.uncounted;
    for (let i = 0; i < uncounted.length; i += 3) {
      this.count(uncounted[i] as string, uncounted[i + 1] as StepEvent | null, uncounted[i + 2] as StepEvent);
    }
    uncounted.length = 0;
    return this.last;
  }

  private count(lane: string, handler: StepEvent | null, event: StepEvent): void {
    const key = `${lane.slice(0, lane.indexOf(":"))}|${handler ? momentShape(handler) : "world"}|${momentShape(event)}`;
    const count = this.seen.get(key) ?? 0;
    this.seen.set(key, count + 1);
    this.last = 1 / (1 + count);
  }
}
