import type { Checker, CheckRun } from "../checker.ts";
import type { MatchReceived } from "../../players/player.ts";
import { placementsOf } from "../server-view.ts";

/**
 * The world says the game is over (its server's game-over, or its process died with it): its players are in no
 * game, whatever their clients last heard, and a request to play that reaches the server now (one sent before the
 * game, held up on the way) may rightly queue them.
 */
function gameOver(run: CheckRun, session: string | undefined, at: number): boolean {
  if (session === undefined) return false;
  return run.options.world?.games().some((game) => game.session === session && game.endedAt !== null && game.endedAt <= at) ?? false;
}

/** Each session the player was told of, once, at the first time it was told, in that order. */
function firstTold(matches: readonly MatchReceived[]): MatchReceived[] {
  const seen = new Set<string>();
  return matches.filter((match) => {
    if (seen.has(match.session)) return false;
    seen.add(match.session);
    return true;
  });
}

/** A player is in one place at a time, and is told of one game for each time it asks to play. */
export default {
  name: "no-double-match",
  meaning:
    "a player is never placed twice at once (a game counts while it runs) nor told match_found for two sessions in answer to " +
    "one request to play (an enqueue that reached a server after its game ended, or after the game was published to its " +
    "connection and Redis once the game was over, asks again; unless a foreign writer spoiled its record, which may hide " +
    "the game it has)",
  rank: 10,
  create: (run) => ({
    afterStep(point, view) {
      // Redis went back to a snapshot and no server has touched it since: the places it shows are seconds old (a
      // player queued or loading then, in a game now), and no server could have noticed yet. What the server's
      // first command after the rollback leaves is judged.
      if (run.observed.redisRestored()) return;
      for (const [id, places] of placementsOf(view)) {
        const player = run.players.get(id);
        if (!player) continue;
        // Its record or session spoiled by a foreign writer, the server could no longer know the game runs: only
        // the places the server holds count then.
        const inGame = player.view.state === "matched" && !gameOver(run, player.matches.at(-1)?.session, point.at) && !run.observed.spoiled(id) ? 1 : 0;
        if (places.length + inGame <= 1) continue;
        const game = inGame ? [`game ${player.matches.at(-1)?.session ?? ""}`] : [];
        const queues = view.queued.get(player.id)?.length ?? 0;
        const sessions = places.length - queues;
        const where = [queues > 1 ? "queues" : queues ? "queue" : "", sessions > 1 ? "sessions" : sessions ? "session" : "", inGame ? "game" : ""];
        const kind = `placed in ${where.filter((place) => place !== "").join(" and ")}`;
        // Once per player and way of being placed twice: a server that breaks this keeps breaking it.
        run.report(point, `places:${player.id}:${kind}`, {
          kind,
          message: `player ${player.id} is placed ${places.length + inGame} times at once: ${[...places, ...game].join(", ")}`,
          players: [player.id],
          keys: places,
        });
      }
    },
    matchReceived(point, player) {
      // One request to play, one game: a player who plays again after its game asks anew.
      const round = player.matches.at(-1)?.round ?? 0;
      const told = firstTold(player.matches.filter((match) => (match.round ?? 0) === round));
      if (told.length <= 1) return;
      // Its record spoiled by a foreign writer, the server could no longer know the player had a game.
      if (run.observed.spoiled(player.id)) return;
      // Each later game asked for by an enqueue no server could tell from a request to play again (a copy of the
      // round's request, held up on the way past a short game: Observations.askedAgainAfter).
      const askedAgain = told.slice(1).every((next, i) => {
        const asked = run.observed.askedAgainAfter(player.id, told[i]?.session ?? "");
        return asked !== undefined && asked <= next.at;
      });
      if (askedAgain) return;
      run.report(point, `matches:${player.id}`, {
        kind: "told of two games",
        message: `player ${player.id} received match_found for ${told.length} sessions: ${told.map((match) => match.session).join(", ")}`,
        players: [player.id],
        keys: [],
      });
    },
  }),
} satisfies Checker;
