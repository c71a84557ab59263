import { MAX_RETRIES_PER_REQUEST, reconnectDelay } from "../../src/adapters/redis-retry.ts";
import { assert } from "../assert.ts";

/**
 * When a command sent at `sentAt` to a client reconnecting from `since` until `until` fails in its offline queue,
 * or null when it waits until the connection is back. As ioredis: the loss and each failed reconnection attempt
 * (on reconnectDelay's back-off) count a retry, and every (MAX_RETRIES_PER_REQUEST + 1)-th flushes the queue with
 * an error. The gap: the simulated connection comes back at its drawn instant, not at the next attempt after it.
 */
export function offlineQueueGivesUp(since: number, until: number, sentAt: number): number | null {
  if (sentAt >= until) return null;
  assert(sentAt >= since, `a command sent at ${sentAt} into an outage that began at ${since}`);
  let retries = 1;
  let at = since;
  while (at <= sentAt || retries % (MAX_RETRIES_PER_REQUEST + 1) !== 0) {
    at += reconnectDelay(retries);
    retries++;
    if (at >= until) return null;
  }
  return at;
}
