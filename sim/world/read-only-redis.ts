import type { ReadOnlyRedis } from "../oracle/checker.ts";
import { globMatch } from "../redis/glob.ts";
import type { SimulatedRedis } from "../redis/index.ts";

/** Redis as a checker may read it: keys by pattern (as KEYS matches them), values; nothing that writes. */
export function readOnly(redis: SimulatedRedis): ReadOnlyRedis {
  return {
    keys: (pattern = "*") => {
      if (pattern === "*") return redis.keys();
      return redis.keys().filter((key) => globMatch(pattern, key));
    },
    inspect: (key) => redis.inspect(key),
  };
}
