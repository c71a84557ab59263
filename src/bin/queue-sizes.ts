import type { MatchConfig } from "../config/config.ts";
import { Keys } from "../fixed/keys.ts";
import { queueKey as legacyQueueKey } from "../legacy/keys.ts";
import type { RedisPort } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";

/** Reads every mode's queue length from Redis, in the variant's layout (legacy: a SET; fixed: a ZSET). */
export function queueSizeReader(variant: Variant, config: MatchConfig, redis: RedisPort) {
  const sizeOf =
    variant === "legacy"
      ? (mode: string) => redis.call("SCARD", legacyQueueKey(config, mode))
      : (mode: string) => redis.call("ZCARD", Keys.queue(mode));
  return async (): Promise<Record<string, number>> => {
    const sizes: Record<string, number> = {};
    for (const { name } of config.gameModes) sizes[name] = Number(await sizeOf(name));
    return sizes;
  };
}
