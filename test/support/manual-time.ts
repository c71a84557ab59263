import type { Clock, TimerHandle, Timers } from "../../src/ports/index.ts";

interface PendingTimer {
  due: number;
  order: number;
  label: string;
  interval: number | null;
  fire: () => void;
  cancelled: boolean;
}

/** A clock and timers that move only when a test says so. */
export class ManualTime implements Clock, Timers {
  private current: number;
  private order = 0;
  private readonly pending: PendingTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, label: string, fire: () => void): TimerHandle {
    return this.schedule(ms, label, null, fire);
  }

  every(ms: number, label: string, fire: () => void): TimerHandle {
    return this.schedule(ms, label, ms, fire);
  }

  /** Labels of timers still pending, soonest first. */
  labels(): string[] {
    return this.live().map((timer) => timer.label);
  }

  /** Moves time forward, firing every timer due on the way in due order, letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.live()[0];
      if (!next || next.due > target) break;
      this.current = next.due;
      if (next.interval === null) next.cancelled = true;
      else next.due += next.interval;
      next.fire();
      await settle();
    }
    this.current = target;
    await settle();
  }

  private live(): PendingTimer[] {
    return this.pending.filter((timer) => !timer.cancelled).sort((a, b) => a.due - b.due || a.order - b.order);
  }

  private schedule(ms: number, label: string, interval: number | null, fire: () => void): TimerHandle {
    const timer: PendingTimer = { due: this.current + ms, order: this.order++, label, interval, fire, cancelled: false };
    this.pending.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
}

/** Lets every pending promise chain run to its next real wait. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
