import type { Rng } from "../random/rng.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { FaultRates } from "../faults/parameters.ts";

/** Virtual time starts here, so wall-clock seconds in Redis look like real ones. */
export const EPOCH = 1_700_000_000_000;

/** What every simulated component shares: the pending steps (and clock), the run's randomness, the faults. */
export interface SimContext {
  steps: PendingSteps;
  /** Latencies, fault draws and behaviour timings, drawn in step order. */
  rng: Rng;
  faults: FaultRates;
}

/**
 * Network latency of one hop in milliseconds: none, unless the fault plan delays it. Which of two deliveries due
 * together lands first is the strategy's choice, so a base latency adds no order the strategy cannot pick; a
 * small random one only spreads the chains of one instant apart, so that fewer of them meet.
 */
export function hopLatency(context: SimContext, delayProbability: number): number {
  return context.rng.chance(delayProbability) ? context.rng.int(100, 3_000) : 0;
}
