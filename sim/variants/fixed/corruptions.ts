import type { MatchConfig } from "../../../src/config/config.ts";
import { Keys } from "../../../src/fixed/keys.ts";
import type { Rng } from "../../random/rng.ts";
import type { ForeignRedis } from "../kit.ts";

/** The states a player record may hold: a plausible lie names one of them. */
const PLAYER_STATES = ["queued", "loading", "allocating", "in_game"];

/** A key of the given pattern that exists, picked by `rng`, or null when none does. */
function someKey(redis: ForeignRedis, pattern: string, rng: Rng): string | null {
  const keys = redis.execute("KEYS", [pattern]) as string[];
  return keys.length > 0 ? rng.pick([...keys].sort()) : null;
}

/**
 * Garbage (a non-UUID id in a queue, an idle server without an address, a deadline for a session that never
 * was, a real player's or session's record given a state no script writes) or a
 * plausible record: a real player's record given another well-formed state than the one it is in, or a server
 * of the foreign writer's own id, listed first in the idle pool, naming a real server's address with a
 * well-formed status that is not idle (claimed for, or busy with, a session).
 */
export function corruptFixed(redis: ForeignRedis, config: MatchConfig, rng: Rng, servers: readonly string[]): string {
  const mode = config.gameModes[0]?.name ?? "Normal_1v1";
  const junk = `junk-${rng.int(0, 9999)}`;
  const choice = rng.int(0, servers.length > 0 ? 6 : 5);
  const junkEntry = () => {
    redis.execute("ZADD", [Keys.queue(mode), 0, junk]);
    return `ZADD ${Keys.queue(mode)} 0 ${junk}`;
  };
  switch (choice) {
    case 0:
      return junkEntry();
    case 1:
      redis.execute("HSET", [Keys.server(junk), "address", "", "status", "idle"]);
      redis.execute("ZADD", [Keys.idleServers, 0, junk]);
      return `HSET ${Keys.server(junk)} address "" status idle; ZADD ${Keys.idleServers} 0 ${junk}`;
    case 2:
      redis.execute("ZADD", [Keys.deadlines, 0, junk]);
      return `ZADD ${Keys.deadlines} 0 ${junk}`;
    case 3: {
      const key = someKey(redis, Keys.player("*"), rng);
      if (key === null) return junkEntry();
      redis.execute("HSET", [key, "state", junk]);
      return `HSET ${key} state ${junk}`;
    }
    case 4: {
      const key = someKey(redis, Keys.session("*"), rng);
      if (key === null) return junkEntry();
      redis.execute("HSET", [key, "status", junk]);
      return `HSET ${key} status ${junk}`;
    }
    case 5: {
      const key = someKey(redis, Keys.player("*"), rng);
      if (key === null) return junkEntry();
      const state = (redis.execute("HGET", [key, "state"]) as string | null) ?? "";
      const lie = rng.pick(PLAYER_STATES.filter((each) => each !== state));
      redis.execute("HSET", [key, "state", lie]);
      return `HSET ${key} state ${lie}`;
    }
  }
  const address = rng.pick(servers);
  const status = rng.pick(["claimed", "busy"]);
  const session = rng.uuid();
  redis.execute("HSET", [Keys.server(junk), "address", address, "status", status, "session", session]);
  redis.execute("ZADD", [Keys.idleServers, 0, junk]);
  return `HSET ${Keys.server(junk)} address ${address} status ${status} session ${session}; ZADD ${Keys.idleServers} 0 ${junk}`;
}

/** A payload on an instance's inbox that `parseInboxPayload` must reject, each of a different layer of it. */
function inboxGarbage(rng: Rng): string {
  const conn = `junk-${rng.int(0, 9999)}`;
  switch (rng.int(0, 3)) {
    case 0:
      return `{"conn":"${conn}"`;
    case 1:
      return JSON.stringify([conn]);
    case 2:
      return JSON.stringify({ conn, player: conn, message: { type: "error", message: "junk" } });
  }
  return JSON.stringify({ conn, player: rng.uuid(), message: { type: "junk" } });
}

/** Garbage on a live instance's inbox (or, with none live, on the first slot's, where nobody listens). */
export function publishFixedGarbage(redis: ForeignRedis, rng: Rng, instances: readonly string[]): string {
  const channel = Keys.inbox(instances.length > 0 ? rng.pick(instances) : "i1");
  const payload = inboxGarbage(rng);
  redis.execute("PUBLISH", [channel, payload]);
  return `PUBLISH ${channel} ${payload}`;
}
