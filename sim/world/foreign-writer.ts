import type { MatchConfig } from "../../src/config/config.ts";
import type { Variant } from "../../src/server/match-server.ts";
import type { SimulatedRedis } from "../redis/contract.ts";
import type { Rng } from "../random/rng.ts";

/**
 * Garbage a foreign writer puts where the server reads: ids that are not UUIDs, JSON that is not JSON. It
 * never touches a real player's data, so any harm it does is the server's failure to validate, not the oracle's
 * business to excuse.
 */
export function corrupt(redis: SimulatedRedis, variant: Variant, config: MatchConfig, rng: Rng): string {
  const mode = config.gameModes[0]?.name ?? "Normal_1v1";
  const junk = `junk-${rng.int(0, 9999)}`;
  const choice = rng.int(0, 2);
  if (variant === "legacy") {
    if (choice === 0) {
      redis.execute("SADD", [`${config.queueKeyPrefix}:${mode}`, junk]);
      return `SADD ${config.queueKeyPrefix}:${mode} ${junk}`;
    }
    if (choice === 1) {
      redis.execute("SET", [`dedicated_server:${junk}`, "{not json"]);
      return `SET dedicated_server:${junk} {not json`;
    }
    redis.execute("SET", [`dedicated_server:${junk}`, JSON.stringify({ address: 42, status: "idle" })]);
    return `SET dedicated_server:${junk} {"address":42,"status":"idle"}`;
  }
  if (choice === 0) {
    redis.execute("ZADD", [`{mm}:queue:${mode}`, 0, junk]);
    return `ZADD {mm}:queue:${mode} 0 ${junk}`;
  }
  if (choice === 1) {
    redis.execute("HSET", [`{mm}:server:${junk}`, "address", "", "status", "idle"]);
    redis.execute("ZADD", ["{mm}:servers:idle", 0, junk]);
    return `HSET {mm}:server:${junk} address "" status idle; ZADD {mm}:servers:idle 0 ${junk}`;
  }
  redis.execute("ZADD", ["{mm}:deadlines", 0, junk]);
  return `ZADD {mm}:deadlines 0 ${junk}`;
}
