import type { Player } from "../../players/player.ts";
import type { Checker } from "../checker.ts";
import { serverOf } from "../observations.ts";

interface Game {
  /** The earliest it can have been created: when the last of its players' ready signals reached the server. */
  from: number;
  /** When a player was first told of it. */
  announced: number;
}

/** When this player's ready signal for the loading session that became `game` reached the server. */
function readyBefore(player: Player, game: string): number {
  const episode = player.episodes.find((each) => each.outcome?.kind === "matched" && each.outcome.text === game);
  return episode?.readyDeliveredAt ?? Number.NEGATIVE_INFINITY;
}

/** The games on one server that were certainly running together with `session`, itself included. */
function overlapping(games: ReadonlyMap<string, Game>, session: string, gameLengthMs: number | undefined, over: (id: string) => boolean): Set<string> {
  const running = new Map([...games].filter(([id]) => id === session || !over(id)));
  if (gameLengthMs === undefined) return new Set(running.keys());
  const game = running.get(session);
  if (!game) return new Set();
  // Created in [from, announced] each: they overlap for sure when even the farthest-apart starts do.
  return new Set(
    [...running]
      .filter(([id, other]) => id === session || Math.max(game.announced - other.from, other.announced - game.from) < gameLengthMs)
      .map(([id]) => id),
  );
}

/** One game per dedicated server at a time, judged from what players were told. */
export default {
  name: "single-allocation",
  meaning: "a dedicated server hosts at most one session at a time",
  rank: 50,
  create: (run) => {
    /** Server -> game session -> when it was created at the earliest and first announced. */
    const games = new Map<string, Map<string, Game>>();
    return {
      matchReceived(point, player) {
        const last = player.matches.at(-1);
        if (!last) return;
        const server = serverOf(last.address);
        const onServer = games.get(server) ?? new Map<string, Game>();
        const game = onServer.get(last.session) ?? { from: Number.NEGATIVE_INFINITY, announced: point.at };
        game.from = Math.max(game.from, readyBefore(player, last.session));
        game.announced = Math.min(game.announced, point.at);
        onServer.set(last.session, game);
        games.set(server, onServer);
        // Two games ran apart when the world saw either end (its length ran out, or its process died) before the
        // other was created, whichever was announced last (a message held up by a paused instance comes late).
        const world = run.options.world;
        const created = world?.game(last.session);
        const createdAt = created?.createdAt ?? game.from;
        const ended = (id: string) => {
          const other = world?.game(id);
          const otherEnded = other?.endedAt ?? null;
          const thisEnded = created?.endedAt ?? null;
          return (otherEnded !== null && otherEnded <= createdAt) || (other !== undefined && thisEnded !== null && thisEnded <= other.createdAt);
        };
        const together = overlapping(onServer, last.session, world?.gameLengthOn(server) ?? run.options.gameLengthMs, ended);
        if (together.size <= 1) return;
        const players = [...run.players.values()]
          .filter((candidate) => candidate.matches.some((match) => together.has(match.session)))
          .map((candidate) => candidate.id);
        run.report(point, `server:${server}`, {
          kind: "server given to two games",
          message: `dedicated server ${server} was announced for ${together.size} game sessions at once: ${[...together].join(", ")}`,
          players,
          keys: [],
        });
      },
    };
  },
} satisfies Checker;
