import type { Checker } from "../checker.ts";

/**
 * How long a dedicated server's release may take once its last game is over: its retries while the commit of
 * that game may still be on its way, with room for a Redis outage on top.
 */
const RELEASE_SLACK_MS = 10_000;

/**
 * A server's games end, and it goes back to the pool: a server left busy once its games are over hosts nothing
 * and is offered to nobody, a capacity leak no single session shows. Judged where the world says which servers are
 * up and when their games ended (a simulated run); a server still running a game, down, or whose last game ended
 * within the slack is not judged.
 */
export default {
  name: "servers-released",
  meaning: `after settling, no dedicated server whose process is up and whose every game has been over for ${RELEASE_SLACK_MS / 1000} s is left busy: its release put it back in the pool`,
  rank: 57,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    return {
      atEnd(point, view) {
        for (const record of view.servers) {
          if (record.status !== "busy" || !run.observed.isWorldServer(record.id) || world.serverDownSince(record.id) !== null) continue;
          const games = world.games().filter((game) => game.server === record.id);
          if (games.length === 0 || games.some((game) => game.endedAt === null)) continue;
          const over = Math.max(...games.map((game) => game.endedAt ?? 0));
          if (point.at - over <= RELEASE_SLACK_MS) continue;
          run.report(point, `busy:${record.id}`, {
            kind: "server left busy after its games",
            message: `${record.id} is up and its last game ended at ${(over / 1000).toFixed(1)} s, yet at ${(point.at / 1000).toFixed(1)} s its record still says busy: it is offered to nobody`,
            players: [],
            keys: [record.key],
          });
        }
      },
    };
  },
} satisfies Checker;
