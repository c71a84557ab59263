import type { Logger, Random, RedisPort } from "../ports/index.ts";
import { RELEASE_LOCK_SCRIPT } from "./scripts.ts";

/** A lock this instance acquired; only the holder of `token` may release it. */
export interface HeldLock {
  readonly key: string;
  readonly token: string;
}

/**
 * The original's `DistributedLock`: `SET NX PX`, never retried, never renewed. Correctness of the legacy
 * server rests on it, which is why a pause longer than the duration breaks it.
 */
export class DistributedLock {
  constructor(
    private readonly redis: RedisPort,
    private readonly random: Random,
    private readonly logger: Logger,
    private readonly durationMs: number,
  ) {}

  /** Null when someone else holds the key. A Redis error rejects: each caller handles it its own way. */
  async acquire(key: string): Promise<HeldLock | null> {
    const token = this.random.token();
    const reply = await this.redis.call("SET", key, token, "NX", "PX", this.durationMs);
    return reply === "OK" ? { key, token } : null;
  }

  /** A failed release is only logged: the lock then lives until its PX expires, as in the original. */
  async release(lock: HeldLock): Promise<void> {
    try {
      await this.redis.runScript(RELEASE_LOCK_SCRIPT, [lock.key], [lock.token]);
    } catch (error) {
      this.logger.log("error", "lock_release_failed", { key: lock.key, error: String(error) });
    }
  }
}
