import type { Rng } from "../random/rng.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { FaultRates } from "./faults.ts";

/** Virtual time starts here, so wall-clock seconds in Redis look like real ones. */
export const EPOCH = 1_700_000_000_000;

/** What every simulated component shares: the pending steps (and clock), the run's randomness, the faults. */
export interface SimContext {
  steps: PendingSteps;
  /** Latencies, fault draws and behaviour timings, drawn in step order. */
  rng: Rng;
  faults: FaultRates;
}

/** Network latency of one hop in milliseconds, plus a delay when the fault plan says so. */
export function hopLatency(context: SimContext, delayProbability: number): number {
  const base = context.rng.int(0, 2);
  return context.rng.chance(delayProbability) ? base + context.rng.int(100, 3_000) : base;
}
