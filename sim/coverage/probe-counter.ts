import type { Probes } from "../../src/ports/index.ts";
import { assert } from "../assert.ts";

/** Steps kept per probe where it was hit, the first ones: where a guided mutation may aim a fault. */
export const HIT_STEPS_KEPT = 4;

/** Where a run's probes were hit: the index of the step each of its first hits came in. */
export type HitSteps = Map<string, number[]>;

/** The probes of one simulated run, counted: every instance and dedicated server of the world hits the same one. */
export class ProbeCounter implements Probes {
  readonly counts = new Map<string, number>();

  /** When `steps` is given, the first hits of each probe are noted in it at the step `stepIndex` tells. */
  constructor(private readonly where?: { steps: HitSteps; stepIndex: () => number }) {}

  hit(probe: string): void {
    this.counts.set(probe, (this.counts.get(probe) ?? 0) + 1);
    if (this.where === undefined) return;
    const step = this.where.stepIndex();
    assert(Number.isInteger(step) && step >= 0, `a probe is hit at a step index (${step})`);
    const kept = this.where.steps.get(probe);
    if (kept === undefined) this.where.steps.set(probe, [step]);
    else if (kept.length < HIT_STEPS_KEPT) kept.push(step);
  }

  /** The counts as a plain record, names sorted. */
  record(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
