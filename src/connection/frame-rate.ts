import type { Clock } from "../ports/index.ts";

/** A token bucket: `perSecond` frames a second, in bursts of at most `perSecond`. */
export class FrameRate {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
  ) {
    this.tokens = perSecond;
    this.last = clock.now();
  }

  /** Whether one more frame fits now; it takes its token when it does. */
  admit(): boolean {
    const now = this.clock.now();
    // A clock stepped back refills nothing, and the refill resumes from the latest instant seen.
    if (now > this.last) {
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
