import type { Clock, TimerHandle, Timers } from "../ports/index.ts";

/** The timer's name: a trace tells a connection the heartbeat gave up on by it. */
export const HEARTBEAT_TIMER = "heartbeat";

/**
 * actix-style heartbeat: every interval, a client silent for longer than the timeout is dropped, otherwise
 * pinged. What counts as a sign of life is the connection's call (`alive()`): legacy counts pongs only, as
 * actix did; fixed counts any frame too.
 */
export class Heartbeat {
  private lastSeen: number;
  private readonly timer: TimerHandle;

  constructor(
    private readonly clock: Clock,
    timers: Timers,
    intervalMs: number,
    timeoutMs: number,
    callbacks: { ping(): void; timedOut(): void },
  ) {
    this.lastSeen = clock.now();
    this.timer = timers.every(intervalMs, HEARTBEAT_TIMER, () => {
      if (this.clock.now() - this.lastSeen > timeoutMs) {
        this.timer.cancel();
        callbacks.timedOut();
      } else {
        callbacks.ping();
      }
    });
  }

  alive(): void {
    this.lastSeen = this.clock.now();
  }

  stop(): void {
    this.timer.cancel();
  }
}
