import type { Checker, CheckRun } from "../checker.ts";
import type { ServerView } from "../server-view.ts";
import type { CreatedGame } from "../world-facts.ts";

/** Some player of the game was told of it: the server committed it (a game created for a session that then failed is no one's). */
function committed(run: CheckRun, game: CreatedGame): boolean {
  return game.players.some((id) => run.players.get(id)?.matches.some((match) => match.session === game.session) ?? false);
}

/**
 * A player the server committed to a game it never heard of (its match_found lost to a crash or a dropped
 * connection) can still learn where its game is while the game runs: the server must tell it, not queue it for
 * another while a server holds a place for it. Judged where the world says which games its servers created and
 * when they ended (a simulated run), and only for a game the server committed (told to one of its players) while its
 * server record says busy: after the release (idle, or gone with a reaped server or Redis's data) the player is free
 * to be placed again.
 */
export default {
  name: "told-before-placed-again",
  meaning:
    "a player in a game that still runs (its server busy, the game neither over nor released) and of which it was never told is not queued " +
    "or loading for another (unless a foreign writer spoiled its record or its session's)",
  rank: 25,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    /** Player -> a running game of its that it has not been told of. */
    const untold = new Map<string, CreatedGame>();
    let gamesSeen = 0;
    let lastView: ServerView | null = null;
    return {
      afterStep(point, view) {
        const games = world.games();
        for (; gamesSeen < games.length; gamesSeen++) {
          const game = games[gamesSeen] as CreatedGame;
          for (const player of game.players) if (run.players.has(player)) untold.set(player, game);
        }
        // Redis went back to a snapshot and no server has touched it since: the places it shows are seconds old,
        // from before the game, and no server could have noticed yet (no-double-match waits the same way).
        if (untold.size === 0 || view === lastView || run.observed.redisRestored()) return;
        lastView = view;
        for (const [id, game] of untold) {
          const player = run.players.get(id);
          if (game.endedAt !== null || game.releasedAt !== null || player === undefined || player.matches.some((match) => match.session === game.session)) {
            untold.delete(id);
            continue;
          }
          const queued = (view.queued.get(id)?.length ?? 0) > 0;
          const loading = queued ? undefined : [...view.sessions.values()].find((session) => session.status === "loading" && session.members.includes(id));
          if (!queued && loading === undefined) continue;
          if (view.servers.find((server) => server.id === game.server)?.status !== "busy" || !committed(run, game)) continue;
          // A foreign writer spoiled its record or its session's: the server could no longer know of the game.
          if (run.observed.spoiled(id)) continue;
          run.report(point, `untold:${id}:${game.session}`, {
            kind: `${queued ? "queued" : "loading"} while its untold game runs`,
            message: `player ${id} is ${queued ? "queued again" : `loading session ${loading?.id}`} while game ${game.session} on ${game.server}, created for it at ${(game.createdAt / 1000).toFixed(1)} s, still runs and it was never told of it`,
            players: [id],
            keys: queued ? (view.queued.get(id) ?? []) : [loading?.key ?? ""],
          });
        }
      },
    };
  },
} satisfies Checker;
