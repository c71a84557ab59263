import { Keys, PLAYER_STATES, SERVER_STATUSES } from "../../../src/fixed/keys.ts";
import { SCRIPTS } from "../../../src/fixed/scripts.ts";
import { parseStats, type Stats } from "../../../src/fixed/session.ts";
import type { ReadOnlyRedis } from "../../oracle/checker.ts";
import type { ForeignRedis, OperatorCounts } from "../kit.ts";
import { fieldsOf, scores } from "./view.ts";

/** Every count the stats command reports, by one flat name (`players.queued`, `servers.expired`, ...). */
function flatten(stats: Stats): OperatorCounts {
  const counts: Record<string, number> = {};
  for (const [group, values] of Object.entries(stats)) {
    if (typeof values === "number") counts[group] = values;
    else for (const [name, value] of Object.entries(values as Record<string, number>)) counts[`${group}.${name}`] = value;
  }
  return counts;
}

/**
 * What the operator's stats command (`match-server stats`, the gauges) reports for one instance: the server's own
 * script, run once as an operator runs it, outside any step. A reply the server's parser rejects is its words.
 */
export function reportedStats(redis: ForeignRedis, instance: string): OperatorCounts | string {
  const reply = redis.execute("EVAL", [SCRIPTS.stats.source, 1, Keys.instances, instance]);
  const stats = parseStats(reply);
  return stats.ok ? flatten(stats.value) : stats.error;
}

/**
 * The same counts by the oracle's own reading of the layout (docs/fixed-server.md), at Redis time `now`: the
 * players of the instance's connections by their records' states, the sessions with a deadline by status, the
 * servers whose registration has not lapsed (expiry at or after now) by status and those whose has, and the
 * instances whose presence has not lapsed.
 */
export function countedStats(redis: ReadOnlyRedis, instance: string, now: number): OperatorCounts {
  const players = Object.fromEntries(PLAYER_STATES.map((state) => [state, 0])) as Stats["players"];
  const conns = redis.inspect(Keys.conns(instance));
  for (const player of conns?.type === "set" ? conns.value : []) {
    const state = fieldsOf(redis, Keys.player(player))("state");
    if (state !== undefined && state in players) players[state as keyof Stats["players"]]++;
  }
  const sessions: Stats["sessions"] = { loading: 0, allocating: 0 };
  for (const session of scores(redis, Keys.deadlines).keys()) {
    const status = fieldsOf(redis, Keys.session(session))("status");
    if (status === "loading" || status === "allocating") sessions[status]++;
  }
  const servers: Stats["servers"] = { live: 0, idle: 0, claimed: 0, busy: 0, expired: 0 };
  for (const [server, expiry] of scores(redis, Keys.liveServers)) {
    if (expiry < now) {
      servers.expired++;
      continue;
    }
    servers.live++;
    const status = fieldsOf(redis, Keys.server(server))("status");
    const known = SERVER_STATUSES.find((each) => each === status);
    if (known !== undefined) servers[known]++;
  }
  const instances = [...scores(redis, Keys.instances).values()].filter((expiry) => expiry >= now).length;
  return flatten({ players, sessions, servers, instances });
}
