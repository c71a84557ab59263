import type { MatchConfig } from "../../../src/config/config.ts";
import { Keys } from "../../../src/fixed/keys.ts";
import type { Rng } from "../../random/rng.ts";
import type { ForeignRedis } from "../kit.ts";

/**
 * Garbage (a non-UUID id in a queue, an idle server without an address, a deadline for a session that never
 * was, a real player's record given a state no script writes) or a plausible record: a server of the foreign
 * writer's own id, listed first in the idle pool, naming a real server's address with a well-formed status that
 * is not idle (claimed for, or busy with, a session).
 */
export function corruptFixed(redis: ForeignRedis, config: MatchConfig, rng: Rng, servers: readonly string[]): string {
  const mode = config.gameModes[0]?.name ?? "Normal_1v1";
  const junk = `junk-${rng.int(0, 9999)}`;
  const choice = rng.int(0, servers.length > 0 ? 4 : 3);
  if (choice === 0) {
    redis.execute("ZADD", [Keys.queue(mode), 0, junk]);
    return `ZADD ${Keys.queue(mode)} 0 ${junk}`;
  }
  if (choice === 1) {
    redis.execute("HSET", [Keys.server(junk), "address", "", "status", "idle"]);
    redis.execute("ZADD", [Keys.idleServers, 0, junk]);
    return `HSET ${Keys.server(junk)} address "" status idle; ZADD ${Keys.idleServers} 0 ${junk}`;
  }
  if (choice === 2) {
    redis.execute("ZADD", [Keys.deadlines, 0, junk]);
    return `ZADD ${Keys.deadlines} 0 ${junk}`;
  }
  if (choice === 3) {
    const players = redis.execute("KEYS", [Keys.player("*")]) as string[];
    if (players.length > 0) {
      const key = rng.pick([...players].sort());
      redis.execute("HSET", [key, "state", junk]);
      return `HSET ${key} state ${junk}`;
    }
    redis.execute("ZADD", [Keys.queue(mode), 0, junk]);
    return `ZADD ${Keys.queue(mode)} 0 ${junk}`;
  }
  const address = rng.pick(servers);
  const status = rng.pick(["claimed", "busy"]);
  const session = rng.uuid();
  redis.execute("HSET", [Keys.server(junk), "address", address, "status", status, "session", session]);
  redis.execute("ZADD", [Keys.idleServers, 0, junk]);
  return `HSET ${Keys.server(junk)} address ${address} status ${status} session ${session}; ZADD ${Keys.idleServers} 0 ${junk}`;
}
