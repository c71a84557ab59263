import type { Clock, TimerHandle, Timers } from "../ports/index.ts";

/** The process's wall clock and Node's timers. Labels only matter in simulation, so they are dropped here. */
export class SystemTime implements Clock, Timers {
  now(): number {
    return Date.now();
  }

  after(ms: number, _label: string, fire: () => void): TimerHandle {
    const timer = setTimeout(fire, ms);
    return { cancel: () => clearTimeout(timer) };
  }

  /** setInterval already waits one interval before the first firing, as the port requires. */
  every(ms: number, _label: string, fire: () => void): TimerHandle {
    const timer = setInterval(fire, ms);
    return { cancel: () => clearInterval(timer) };
  }
}
