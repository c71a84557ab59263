import type { Probes } from "../../src/ports/index.ts";

/** The probes of one simulated run, counted: every instance and dedicated server of the world hits the same one. */
export class ProbeCounter implements Probes {
  readonly counts = new Map<string, number>();

  hit(probe: string): void {
    this.counts.set(probe, (this.counts.get(probe) ?? 0) + 1);
  }

  /** The counts as a plain record, names sorted. */
  record(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
