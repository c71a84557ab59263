/**
 * ioredis-mock stamps and checks expiries with Date.now, so on the real clock a lock set with PX 10000 would
 * outlive a whole run (a run spans minutes of virtual time in milliseconds of real time). While a run is active,
 * Date.now reads the run's virtual clock instead, so keys expire as they do in the harness and on a real Redis.
 */
const original = Date.now;
let source: (() => number) | null = null;

Date.now = () => (source ?? original)();

/** Runs `work` with Date.now reading `now`. Runs must not overlap. */
export async function withVirtualDateNow<T>(now: () => number, work: () => Promise<T>): Promise<T> {
  if (source !== null) throw new Error("withVirtualDateNow: runs must not overlap");
  source = now;
  try {
    return await work();
  } finally {
    source = null;
  }
}
