/** Wall clock of one server instance, in milliseconds since the epoch. Instances may disagree (skew). */
export interface Clock {
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

/**
 * Timers carry a label so a simulated run can show which timer fired (`tick:Normal_1v1`, `sweep`).
 * `every` fires first after one interval, like actix's `run_interval`.
 */
export interface Timers {
  after(ms: number, label: string, fire: () => void): TimerHandle;
  every(ms: number, label: string, fire: () => void): TimerHandle;
}
