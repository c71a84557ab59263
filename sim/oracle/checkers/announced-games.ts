import { holdsNoSession } from "../server-view.ts";
import type { Player } from "../../players/player.ts";
import type { Checker, CheckRun } from "../checker.ts";
import type { CreatedGame } from "../world-facts.ts";

/** The members of the loading session whose episode this match ended, when the player was loading it. */
function membersBehind(run: CheckRun, player: Player, game: string): string[] | undefined {
  const episode = player.episodes.findLast((each) => each.outcome?.kind === "matched" && each.outcome.text === game);
  return episode ? run.observed.sessions.get(episode.session)?.members : undefined;
}

/** When the script that published the message this step hands to its player ran: the frame's delivery's cause. */
function publishedAt(run: CheckRun): number | undefined {
  const frame = run.observed.current;
  if (frame === null || frame.event.kind !== "frame-out") return undefined;
  const delivery = run.observed.steps.causeOf(frame.id);
  const script = delivery === undefined ? undefined : run.observed.steps.causeOf(delivery);
  return script === undefined ? undefined : run.observed.steps.timeOf(script);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((each) => b.includes(each));

/**
 * What players are told agrees with what the dedicated servers did: the game a match_found names was created by
 * the server it points to, for that player among exactly the loading session's members, at that address; and a
 * game created for nobody to hear of does not keep its server. Judged only where the world says what its servers
 * created (a simulated run).
 */
export default {
  name: "announced-games",
  meaning:
    "every match_found names a game its dedicated server created, at that address, for exactly the members of the player's loading " +
    "session; every game created is announced to its players, or its server is released from it",
  rank: 55,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    const toldAgain: Array<{ player: Player; game: CreatedGame }> = [];
    return {
      afterStep(point) {
        for (const { player, game } of toldAgain.splice(0)) {
          const published = publishedAt(run);
          // Redis had taken the game's release when the server published it: the server sent the player back to a
          // game it knew was over (one whose process died is over too, but nobody tells the match server at once).
          if (published === undefined || game.releasedAt === null || game.releasedAt >= published) continue;
          run.report(point, `told:${player.id}:${game.session}:again`, {
            message: `player ${player.id} was told match_found for game ${game.session} again at ${(published / 1000).toFixed(1)} s, after its server ${game.server} had released it at ${(game.releasedAt / 1000).toFixed(1)} s`,
            players: [player.id],
            keys: [],
          });
        }
      },
      matchReceived(point, player) {
        const told = player.matches.at(-1);
        if (!told) return;
        const game = world.game(told.session);
        const report = (problem: string, players: readonly string[]) =>
          run.report(point, `told:${player.id}:${told.session}`, {
            message: `player ${player.id} was told match_found for game ${told.session} at ${told.address}, ${problem}`,
            players: [player.id, ...players.filter((each) => each !== player.id)],
            keys: [],
          });
        if (game === undefined) return report("which no dedicated server created", []);
        // Told again of a game: judged once this step is recorded, by when the server published it.
        if (player.matches.slice(0, -1).some((match) => match.session === told.session)) toldAgain.push({ player, game });
        if (game.gameAddress !== told.address) return report(`but ${game.server} created it at ${game.gameAddress}`, game.players);
        if (!game.players.includes(player.id)) return report(`but ${game.server} created it for ${game.players.join(", ")}`, game.players);
        const members = membersBehind(run, player, told.session);
        if (members !== undefined && !sameSet(members, game.players)) {
          report(`created for ${game.players.join(", ")} while its loading session held ${members.join(", ")}`, members);
        }
      },
      atEnd(point, view) {
        const told = new Set([...run.players.values()].flatMap((player) => player.matches.map((match) => match.session)));
        const games = world.games();
        games.forEach((game, index) => {
          if (told.has(game.session)) return;
          const record = view.servers.find((server) => server.id === game.server);
          if (record === undefined || holdsNoSession(record) || record.status === "unreadable") return;
          // The server moved on to a later game: it was released from this one.
          if (games.slice(index + 1).some((later) => later.server === game.server)) return;
          // Every player gone: nobody was there to tell, and the game server's own timeout frees it.
          if (game.players.every((id) => !run.players.get(id)?.connected)) return;
          run.report(point, `unannounced:${game.session}`, {
            message: `${game.server} created game ${game.session} for ${game.players.join(", ")} at ${(game.createdAt / 1000).toFixed(1)} s; none of them was told, and the server is still ${record.status}`,
            players: [...game.players],
            keys: [record.key],
          });
        });
      },
    };
  },
} satisfies Checker;
