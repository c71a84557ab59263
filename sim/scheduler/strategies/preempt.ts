import type { Rng } from "../../random/rng.ts";
import type { Step } from "../step.ts";
import type { Strategy } from "../strategy.ts";

/**
 * A random walk that preempts whenever it can: the next step never comes from the lane (instance, player,
 * dedicated server) that ran last while another lane has a step enabled (then it is uniform among the others).
 * Races between handlers that each hold something across several round trips (a lock, a read-modify-write) need
 * a switch in the middle of a chain; PCT switches only at its few change points and uniform choice half the time,
 * this one every time. By lane rather than by channel: an instance's Redis connection, timers and sockets are
 * separate channels, and switching among them alone leaves the other instance waiting. PCT stays the better
 * choice where a bug needs long stretches of one lane without a switch (`npm run bench` compares them).
 */
export class PreemptStrategy implements Strategy {
  private last: string | null = null;

  constructor(private readonly rng: Rng) {}

  choose(enabled: readonly Step[]): Step {
    let chosen: Step;
    if (enabled.length === 1) chosen = enabled[0] as Step;
    else {
      const others = enabled.filter((step) => step.lane !== this.last);
      chosen = this.rng.pick(others.length > 0 ? others : enabled);
    }
    this.last = chosen.lane;
    return chosen;
  }
}
