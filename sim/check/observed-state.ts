import type { ServerView } from "../oracle/server-view.ts";
import type { Player } from "../players/player.ts";
import type { ReadOnlyRedis } from "../oracle/checker.ts";

/**
 * What the oracle's checks after every step read, as a string that changes exactly when it does: the variant's
 * view of Redis (queues, sessions, servers, locks and their expiry) and each player's state and games. A step
 * that changes it is visible (Footprint.visible).
 */
export function observedState(view: ServerView, players: readonly Player[]): string {
  const parts: string[] = [];
  for (const [player, queues] of [...view.queued].sort(([a], [b]) => a.localeCompare(b))) parts.push(`q ${player} ${[...queues].sort().join(",")}`);
  for (const session of [...view.sessions.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    parts.push(`s ${session.key} ${session.status} ${[...session.members].sort().join(",")} ${[...session.ready].sort().join(",")}`);
  }
  for (const server of [...view.servers].sort((a, b) => a.key.localeCompare(b.key))) parts.push(`d ${server.key} ${server.address} ${server.status}`);
  for (const lock of [...view.locks].sort((a, b) => a.key.localeCompare(b.key))) parts.push(`l ${lock.key} ${lock.pttl}`);
  for (const player of players) parts.push(`p ${player.id} ${player.view.state} ${player.matches.length}`);
  return parts.join("\n");
}

/** Every key and value of a Redis, and each player's state: what a schedule ended in, for comparing schedules. */
export function finalState(redis: ReadOnlyRedis, players: readonly Player[]): string {
  const keys = redis.keys().map((key) => `${key} ${JSON.stringify(redis.inspect(key))}`);
  const people = players.map((player) => `${player.id} ${player.view.state} ${player.connected} ${player.matches.map((match) => match.session).join(",")}`);
  return [...keys, ...people].join("\n");
}
