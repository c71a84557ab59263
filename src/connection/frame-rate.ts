import type { Clock } from "../ports/index.ts";

/**
 * What to do with one frame: let it through; refuse it and warn the client (the first refusal since it was
 * last calm); refuse it silently; or close the connection, since a second's worth of frames was refused since
 * the warning and the client is not slowing down.
 */
export type FrameVerdict = "admit" | "warn" | "drop" | "close";

/**
 * A token bucket: `perSecond` frames a second, in bursts of at most `perSecond`. A client is calm again once its
 * bucket has refilled: it sent nothing over the rate for a second.
 */
export class FrameRate {
  private tokens: number;
  private last: number;
  /** Frames refused since the client was last calm. */
  private refused = 0;

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
  ) {
    this.tokens = perSecond;
    this.last = clock.now();
  }

  take(): FrameVerdict {
    const now = this.clock.now();
    // A clock stepped back refills nothing, and the refill resumes from the latest instant seen.
    if (now > this.last) {
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens >= this.perSecond) this.refused = 0;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return "admit";
    }
    this.refused++;
    if (this.refused === 1) return "warn";
    return this.refused > this.perSecond ? "close" : "drop";
  }
}
