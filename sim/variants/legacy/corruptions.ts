import type { MatchConfig } from "../../../src/config/config.ts";
import { dedicatedServerKey, notificationChannel, queueKey } from "../../../src/legacy/keys.ts";
import type { Rng } from "../../random/rng.ts";
import type { ForeignRedis } from "../kit.ts";

/**
 * Garbage (a non-UUID id in a queue, a server entry that is not JSON, one whose address is not a string) or a
 * plausible entry: a server of the foreign writer's own id naming a real server's address, busy.
 */
export function corruptLegacy(redis: ForeignRedis, config: MatchConfig, rng: Rng, servers: readonly string[]): string {
  const mode = config.gameModes[0]?.name ?? "Normal_1v1";
  const junk = `junk-${rng.int(0, 9999)}`;
  const choice = rng.int(0, servers.length > 0 ? 3 : 2);
  if (choice === 0) {
    const queue = queueKey(config, mode);
    redis.execute("SADD", [queue, junk]);
    return `SADD ${queue} ${junk}`;
  }
  const server = dedicatedServerKey(junk);
  const value =
    choice === 1
      ? "{not json"
      : choice === 2
        ? JSON.stringify({ address: 42, status: "idle" })
        : JSON.stringify({ address: rng.pick(servers), status: "busy" });
  redis.execute("SET", [server, value]);
  return `SET ${server} ${value}`;
}

/** A payload on a player's channel that is no server message: not JSON, or JSON of a type no server sends. */
export function publishLegacyGarbage(redis: ForeignRedis, rng: Rng): string {
  const channel = notificationChannel(`junk-${rng.int(0, 9999)}`);
  const payload = rng.chance(0.5) ? "{not json" : JSON.stringify({ type: "junk" });
  redis.execute("PUBLISH", [channel, payload]);
  return `PUBLISH ${channel} ${payload}`;
}
