import type { Clock, TimerHandle, Timers } from "../../src/ports/index.ts";

/** Virtual time starts here, as in the harness, so wall-clock seconds written to Redis look real. */
export const EPOCH = 1_700_000_000_000;

/** Server timers stop when the servers stop; client actions go on while the world drains. */
export type TimerKind = "server" | "client";

interface PendingTimer {
  due: number;
  order: number;
  kind: TimerKind;
  interval: number | null;
  fire: () => void;
  cancelled: boolean;
  /** Whose action this is (a player's lane); null for server timers. */
  owner: string | null;
}

/**
 * A manual clock like test/support/manual-time.ts, but stepped from one due instant to the next so the
 * benchmark can let fast-check's scheduler drain everything an instant started before time moves on.
 * fc.scheduler has no notion of time: only work pending at the same instant competes for its choices.
 */
export class VirtualTime {
  now = EPOCH;
  private order = 0;
  private pending: PendingTimer[] = [];

  timersFor(kind: TimerKind): Timers {
    return {
      after: (ms, _label, fire) => this.schedule(ms, kind, null, fire),
      every: (ms, _label, fire) => this.schedule(ms, kind, ms, fire),
    };
  }

  /** A player's action, due `ms` from now. */
  action(ms: number, owner: string, fire: () => void): void {
    this.schedule(ms, "client", null, fire, owner);
  }

  /** Due instants in [from, to] of pending timers other than `owner`'s, as the harness's world anchors actions. */
  anchorsBetween(from: number, to: number, owner: string): number[] {
    return this.pending.filter((timer) => !timer.cancelled && timer.owner !== owner && timer.due >= from && timer.due <= to).map((timer) => timer.due);
  }

  /** An instance's wall clock: virtual time plus its skew. */
  clock(skewMs: number): Clock {
    return { now: () => this.now + skewMs };
  }

  /** The next instant a timer of one of `kinds` is due, or null. */
  nextDue(kinds: readonly TimerKind[]): number | null {
    let next: number | null = null;
    for (const timer of this.pending) {
      if (timer.cancelled || !kinds.includes(timer.kind)) continue;
      if (next === null || timer.due < next) next = timer.due;
    }
    return next;
  }

  /** Moves to `instant` and fires every timer of `kinds` due by then, in due order. */
  fireDue(instant: number, kinds: readonly TimerKind[]): void {
    this.now = Math.max(this.now, instant);
    const due = this.pending
      .filter((timer) => !timer.cancelled && kinds.includes(timer.kind) && timer.due <= this.now)
      .sort((a, b) => a.due - b.due || a.order - b.order);
    for (const timer of due) {
      if (timer.cancelled) continue;
      if (timer.interval === null) timer.cancelled = true;
      else timer.due += timer.interval;
      timer.fire();
    }
    this.pending = this.pending.filter((timer) => !timer.cancelled);
  }

  private schedule(ms: number, kind: TimerKind, interval: number | null, fire: () => void, owner: string | null = null): TimerHandle {
    const timer: PendingTimer = { due: this.now + ms, order: this.order++, kind, interval, fire, cancelled: false, owner };
    this.pending.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
}
