import type { RedisPort } from "../ports/index.ts";
import { within } from "./cli.ts";

/** A scrape or a health check never waits on Redis longer than this. */
export const REDIS_READ_LIMIT_MS = 1_000;

/** Whether Redis answers a PING now. */
export async function redisAnswers(redis: RedisPort): Promise<boolean> {
  return (await within(REDIS_READ_LIMIT_MS, redis.call("PING").catch(() => null), null)) === "PONG";
}
