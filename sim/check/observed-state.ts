import type { ServerView } from "../oracle/server-view.ts";
import type { Player } from "../players/player.ts";
import type { ReadOnlyRedis } from "../oracle/checker.ts";

/**
 * What the oracle's checks after every step read, by part: each player's queues, placements, state and games,
 * each session, dedicated server and lock. A session's line is also part of each of its members', whose
 * placements it holds. A step that changes a part is visible (Footprint.visible).
 */
export function observedParts(view: ServerView, players: readonly Player[]): Map<string, string> {
  const parts = new Map<string, string>();
  const add = (part: string, line: string) => parts.set(part, `${parts.get(part) ?? ""}${line}\n`);
  for (const [player, queues] of view.queued) add(`player:${player}`, `q ${[...queues].sort().join(",")}`);
  for (const session of [...view.sessions.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    const line = `s ${session.key} ${session.status} ${[...session.members].sort().join(",")} ${[...session.ready].sort().join(",")}`;
    add(`session:${session.key}`, line);
    for (const member of session.members) add(`player:${member}`, line);
  }
  for (const server of view.servers) add(`server:${server.key}`, `d ${server.address} ${server.status}`);
  for (const lock of view.locks) add(`lock:${lock.key}`, `l ${lock.pttl}`);
  for (const player of players) add(`player:${player.id}`, `p ${player.view.state} ${player.matches.length}`);
  return parts;
}

/** The parts whose contents differ between two readings. */
export function changedParts(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const changed: string[] = [];
  for (const [part, text] of after) if (before.get(part) !== text) changed.push(part);
  for (const part of before.keys()) if (!after.has(part)) changed.push(part);
  return changed.sort();
}

/** Every key and value of a Redis, and each player's state: what a schedule ended in, for comparing schedules. */
export function finalState(redis: ReadOnlyRedis, players: readonly Player[]): string {
  const keys = redis.keys().map((key) => `${key} ${JSON.stringify(redis.inspect(key))}`);
  const people = players.map((player) => `${player.id} ${player.view.state} ${player.connected} ${player.matches.map((match) => match.session).join(",")}`);
  return [...keys, ...people].join("\n");
}
