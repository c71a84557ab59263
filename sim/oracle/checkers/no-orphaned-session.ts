import { holdsNoSession } from "../server-view.ts";
import type { Checker, CheckRun } from "../checker.ts";

/**
 * Every game running on the server lost all its players, each of whom either left unheard until the game existed, or
 * had sent loading_complete before leaving: the server was right to allocate for a player who was ready, and
 * an instance that hears its close cannot stop an allocation another instance has already begun (the leave
 * reaches Redis a round trip later, which a schedule can make as late as it likes). Only the game server can
 * reap such a game.
 */
function abandonedAfterAllocation(run: CheckRun, address: string): boolean {
  const games = run.options.world?.games().filter((game) => game.address === address && game.endedAt === null) ?? [];
  return (
    games.length > 0 &&
    games.every((game) =>
      game.players.every((id) => {
        const player = run.players.get(id);
        if (!player || player.connected) return false;
        const heard = player.connection?.serverClosedAt ?? null;
        const ready = player.episodes.at(-1)?.readyDeliveredAt ?? null;
        return heard === null || heard >= game.createdAt || (ready !== null && ready <= heard);
      }),
    )
  );
}

/** Sessions, busy servers and locks end when the players and deadlines behind them do. */
export default {
  name: "no-orphaned-session",
  meaning: "no loading session, busy dedicated server or lock outlives the players and deadlines behind it",
  rank: 30,
  create: (run) => ({
    afterStep(point, view) {
      for (const session of view.sessions.values()) {
        const first = run.observed.sessions.get(session.id);
        if (!first || point.at - first.at <= run.bounds.sessionLifetimeMs) continue;
        run.report(point, `lifetime:${session.id}`, {
          kind: "session outlived its deadlines",
          message: `loading session ${session.id} (status ${session.status}) is still live ${Math.round((point.at - first.at) / 1000)} s after it was created; its deadline was ${run.config.loadingTimeoutMs / 1000} s`,
          players: session.members,
          keys: [session.key],
        });
      }
      for (const lock of view.locks) {
        if (lock.pttl >= 0 && lock.pttl <= run.config.lockDurationMs) continue;
        run.report(point, `lock:${lock.key}`, {
          kind: "lock without a bounded expiry",
          message: `lock ${lock.key} has ${lock.pttl < 0 ? "no expiry" : `${lock.pttl} ms to live, more than its ${run.config.lockDurationMs} ms`}`,
          players: [],
          keys: [lock.key],
        });
      }
    },
    atEnd(point, view) {
      for (const session of view.sessions.values()) {
        const live = session.members.filter((member) => run.players.get(member)?.connected);
        if (live.length > 0) continue;
        run.report(point, `members:${session.id}`, {
          kind: "session outlived its members",
          message: `loading session ${session.id} outlived every member: none of ${session.members.join(", ")} is connected`,
          players: session.members,
          keys: [session.key],
        });
      }
      for (const server of view.servers) {
        if (holdsNoSession(server) || server.status === "unreadable" || !run.observed.isWorldServer(server.id)) continue;
        const hosted = run.observed.announced.get(server.address);
        if (server.status === "busy" && hosted === undefined && abandonedAfterAllocation(run, server.address)) continue;
        if (server.status === "busy" && hosted !== undefined && hosted.size > 0) continue;
        run.report(point, `server:${server.id}`, {
          kind: `server ${server.status} for nobody`,
          message: `dedicated server ${server.id} (${server.address}) is ${server.status} but no player was ever told match_found for it`,
          players: [],
          keys: [server.key],
        });
      }
    },
  }),
} satisfies Checker;
