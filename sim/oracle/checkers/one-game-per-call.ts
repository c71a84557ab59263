import type { Checker } from "../checker.ts";

/**
 * A create call that reaches a dedicated server twice (a retrying proxy, a caller retrying after a lost reply) gets
 * the game its first arrival made, by its idempotency key (src/dedicated/idempotency.ts): a second game for one call
 * hosts nobody, holds the server's capacity, and leaves its twin's players told of either. Judged where the world
 * says which games each server created: two running on one server at once under one key. A process that died took
 * its games and its memory with it, so a new process's game for the same key is no twin.
 */
export default {
  name: "one-game-per-call",
  meaning: "a dedicated server runs at most one game per create call, however often the call reaches it",
  rank: 53,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    /** How many of the world's games have been judged. */
    let judged = 0;
    return {
      afterStep(point) {
        const games = world.games();
        for (; judged < games.length; judged++) {
          const game = games[judged]!;
          if (game.key === null) continue;
          const twin = games.slice(0, judged).find((other) => other.server === game.server && other.key === game.key && other.endedAt === null);
          if (twin === undefined) continue;
          run.report(point, `twin:${game.server}:${game.key}`, {
            kind: "second game for one call",
            message: `${game.server} created game ${game.session} for create call ${game.key}, while game ${twin.session}, made for the same call, still runs: a call that arrives again must get the game it made`,
            players: [...new Set([...twin.players, ...game.players])],
            keys: [],
          });
        }
      },
    };
  },
} satisfies Checker;
