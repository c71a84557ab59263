import type { MatchConfig } from "../../../src/config/config.ts";
import { Keys } from "../../../src/fixed/keys.ts";
import type { Rng } from "../../random/rng.ts";
import type { ForeignRedis } from "../kit.ts";

/** A non-UUID id in a queue, an idle server without an address, or a deadline for a session that never was. */
export function corruptFixed(redis: ForeignRedis, config: MatchConfig, rng: Rng): string {
  const mode = config.gameModes[0]?.name ?? "Normal_1v1";
  const junk = `junk-${rng.int(0, 9999)}`;
  const choice = rng.int(0, 2);
  if (choice === 0) {
    redis.execute("ZADD", [Keys.queue(mode), 0, junk]);
    return `ZADD ${Keys.queue(mode)} 0 ${junk}`;
  }
  if (choice === 1) {
    redis.execute("HSET", [Keys.server(junk), "address", "", "status", "idle"]);
    redis.execute("ZADD", [Keys.idleServers, 0, junk]);
    return `HSET ${Keys.server(junk)} address "" status idle; ZADD ${Keys.idleServers} 0 ${junk}`;
  }
  redis.execute("ZADD", [Keys.deadlines, 0, junk]);
  return `ZADD ${Keys.deadlines} 0 ${junk}`;
}
