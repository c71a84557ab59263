import type { Rng } from "../../random/rng.ts";
import type { WorldOptions } from "../../scenario/options.ts";
import type { FaultKind } from "../fault-kind.ts";

/** An instance's wall clock disagrees with the others by up to `maxSkewMs`, drawn when the instance starts. */
export function drawSkew(options: WorldOptions, rng: Rng): number {
  const max = options.events.maxSkewMs;
  return max > 0 ? rng.int(-max, max) : 0;
}

/** Instances' clocks disagree; nothing is scheduled: each incarnation draws its skew as it starts. */
export default {
  name: "clock-skew",
  summary: "each instance's wall clock is off by up to maxSkewMs either way",
  rank: 50,
  plan() {},
  smaller: (options) =>
    options.events.maxSkewMs > 0 ? [{ ...options, events: { ...options.events, maxSkewMs: Math.floor(options.events.maxSkewMs / 2) } }] : [],
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
