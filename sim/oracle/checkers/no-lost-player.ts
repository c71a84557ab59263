import type { Checker } from "../checker.ts";
import { placesOf } from "../server-view.ts";

/** What the client believes and what the server holds agree, once the world has settled. */
export default {
  name: "no-lost-player",
  meaning: "every connected player who asked to play is queued, loading or in a game, and a disconnected one is in none of those",
  rank: 20,
  create: (run) => ({
    atEnd(point, view) {
      for (const player of run.players.values()) {
        // The server talks to a connection the client left open and no longer listens on (a tab whose late enqueue
        // came after the client moved on): what the client believes is not what that connection was told.
        const owner = run.observed.ownerConnection(player.id);
        if (owner !== undefined && owner !== player.connection?.traceId && player.connections.some((each) => each.traceId === owner && each.clientOpen)) continue;
        const places = placesOf(view, player.id);
        const state = player.view.state;
        let problem: [kind: string, text: string] | null = null;
        const held = view.queued.has(player.id) ? "queue" : "session";
        if (!player.connected) {
          if (places.length > 0) problem = [`disconnected but held in a ${held}`, `is disconnected but still held in ${places.join(", ")}`];
        } else if (state === "awaiting") {
          problem = ["never answered", "asked to play and never got an answer"];
        } else if (state === "queued") {
          if ((view.queued.get(player.id)?.length ?? 0) === 0) {
            problem =
              places.length === 0
                ? ["queued nowhere", "believes it is queued but is in no queue"]
                : ["queued but held in a session", `believes it is queued but is held in ${places.join(", ")}`];
          }
        } else if (state === "loading") {
          const session = view.sessions.get(player.view.session);
          if (!session || !session.members.includes(player.id)) {
            const where = places.length ? `, held in a ${held}` : "";
            problem = [
              `loading a session ${session ? "without it" : "that is gone"}${where}`,
              `believes it is loading session ${player.view.session}, which ${session ? "does not hold it" : "no longer exists"}${places.length ? `; it is held in ${places.join(", ")}` : ""}`,
            ];
          }
        } else if (places.length > 0) {
          problem = [
            `${state === "matched" ? "in a game" : "not asking"} but held in a ${held}`,
            `${state === "matched" ? "is in a game" : "is not asking to play"} but is held in ${places.join(", ")}`,
          ];
        }
        if (problem) {
          const [kind, text] = problem;
          run.report(point, `end:${player.id}`, { kind, message: `player ${player.id} (${player.behaviour}) ${text}`, players: [player.id], keys: places });
        }
      }
    },
  }),
} satisfies Checker;
