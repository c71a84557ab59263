import type { Clock, TimerHandle, Timers } from "../../src/ports/index.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { Step } from "../scheduler/step.ts";
import type { TimerEvent } from "../trace/events.ts";

/** An instance's wall clock: virtual time plus its skew. */
export class SkewedClock implements Clock {
  constructor(
    private readonly steps: PendingSteps,
    readonly skewMs: number,
  ) {}
  now(): number {
    return this.steps.now + this.skewMs;
  }
}

/** Timers as steps: each firing is one step, owned by the instance so a crash cancels it. */
export class SimTimers implements Timers {
  private sequence = 0;

  constructor(
    private readonly steps: PendingSteps,
    private readonly owner: string,
    private readonly lane: string,
  ) {}

  after(ms: number, label: string, fire: () => void): TimerHandle {
    return this.schedule(ms, label, false, fire);
  }

  every(ms: number, label: string, fire: () => void): TimerHandle {
    return this.schedule(ms, label, true, fire);
  }

  private schedule(ms: number, label: string, repeat: boolean, fire: () => void): TimerHandle {
    const source = `timer:${this.owner}:${this.sequence++}`;
    let pending: Step | null = null;
    let cancelled = false;
    // One closure for every firing of a repeating timer, not one per firing.
    const event: TimerEvent = { kind: "timer", owner: this.owner, timer: label };
    const run = (): TimerEvent => {
      pending = null;
      if (repeat) arm(this.steps.now + ms);
      fire();
      return event;
    };
    const arm = (at: number): void => {
      pending = this.steps.add({ lane: this.lane, source, owner: this.owner, kind: "timer", readyAt: at }, run);
    };
    arm(this.steps.now + ms);
    return {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        if (pending) this.steps.cancel(pending);
      },
    };
  }
}
