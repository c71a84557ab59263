import type { CommandSpec } from "./command.ts";
import { hashCommands } from "./hashes.ts";
import { keyCommands } from "./keys.ts";
import { listCommands } from "./lists.ts";
import { pubsubCommands } from "./pubsub.ts";
import { scriptingCommands } from "./scripting.ts";
import { serverCommands } from "./server.ts";
import { setCommands } from "./sets.ts";
import { sortedSetCommands } from "./sorted-sets.ts";
import { stringCommands } from "./strings.ts";

/** Every command the simulated Redis implements, by lower-case name. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  Object.entries({
    ...keyCommands,
    ...stringCommands,
    ...setCommands,
    ...hashCommands,
    ...sortedSetCommands,
    ...listCommands,
    ...scriptingCommands,
    ...pubsubCommands,
    ...serverCommands,
  }),
);

/**
 * Commands that never change the keyspace by themselves: reads (the keyspace counts their lazy expiry itself),
 * PUBLISH and the like, and the scripting commands, whose scripts' commands count one by one. Any other
 * command, one added later included, counts as a change.
 */
const KEYSPACE_NEUTRAL = new Set(
  [
    ...["exists", "type", "ttl", "pttl", "scan", "keys", "dbsize", "time", "ping", "echo", "info"],
    ...["get", "mget", "strlen"],
    ...["scard", "sismember", "smismember", "smembers", "srandmember"],
    ...["hget", "hmget", "hgetall", "hkeys", "hvals", "hlen", "hexists", "hstrlen"],
    ...["zcard", "zscore", "zmscore", "zrank", "zrevrank", "zcount"],
    ...["zrange", "zrevrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex"],
    ...["llen", "lrange", "lindex"],
    ...["eval", "evalsha", "script", "publish"],
  ].map((name) => COMMANDS.get(name)),
);

export function changesKeyspace(spec: CommandSpec): boolean {
  return !KEYSPACE_NEUTRAL.has(spec);
}

export function arityMatches(spec: CommandSpec, argumentCount: number): boolean {
  const total = argumentCount + 1;
  return spec.arity > 0 ? total === spec.arity : total >= -spec.arity;
}
