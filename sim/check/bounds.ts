/** What a check explores: schedules within these many preemptions and fault choices. */
export interface CheckBounds {
  /** Preemptions per schedule (switches away from a lane that still has a step due); Infinity for none. */
  preemptions: number;
  /** Fault choices per schedule. */
  faults: number;
}
