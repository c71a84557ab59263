import type { Timers } from "../ports/index.ts";

export type WithinDeadline<T> = { late: true } | { late: false; value: T };

/**
 * `work`'s value, or `late` once `ms` have passed first. A rejection before the deadline rejects; one after it is
 * left to whoever still holds `work`. The timer is cancelled as soon as either comes.
 */
export function withinDeadline<T>(timers: Timers, ms: number, label: string, work: Promise<T>): Promise<WithinDeadline<T>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = timers.after(ms, label, () => {
      if (settled) return;
      settled = true;
      resolve({ late: true });
    });
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        resolve({ late: false, value });
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        reject(error);
      },
    );
  });
}
