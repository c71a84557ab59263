/**
 * How the Redis client rides out a lost connection, shared by the real adapter (ioredis's options) and the
 * simulated port, which must fail a command exactly when ioredis would.
 */

/**
 * Reconnection attempts a command waits through before it fails: a handler stuck on a dead Redis would hold its
 * player hostage, while an error lets it answer and move on.
 */
export const MAX_RETRIES_PER_REQUEST = 2;

const FIRST_RETRY_MS = 100;
const LONGEST_RETRY_MS = 2_000;

/** Reconnection back-off: doubling from 100 ms to 2 s, then every 2 s for as long as Redis is away. */
export function reconnectDelay(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(Math.max(attempt - 1, 0), 10), LONGEST_RETRY_MS);
}

/** What ioredis rejects a command with once it waited through its reconnection attempts. */
export const MAX_RETRIES_ERROR = `Reached the max retries per request limit (which is ${MAX_RETRIES_PER_REQUEST}). Refer to "maxRetriesPerRequest" option for details.`;
