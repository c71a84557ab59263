import type { Checker } from "../checker.ts";

/**
 * A game is of its mode's size: every loading session the server opens holds exactly the players its mode
 * requires. Judged once per session, when it is first seen (members leave later, the record keeps them); a
 * session whose record names no mode, or a mode the config lacks, is not judged.
 */
export default {
  name: "session-size",
  meaning: "every loading session holds exactly the number of players its game mode requires",
  rank: 15,
  create: (run) => {
    const judged = new Set<string>();
    return {
      afterStep(point, view) {
        for (const session of view.sessions.values()) {
          if (judged.has(session.id)) continue;
          judged.add(session.id);
          const mode = run.config.gameModes.find((each) => each.name === session.mode);
          if (mode === undefined || session.members.length === mode.requiredPlayers) continue;
          run.report(point, `size:${session.id}`, {
            kind: "session of the wrong size",
            message: `loading session ${session.id} for ${mode.name} holds ${session.members.length} player(s) (${session.members.join(", ")}); the mode requires ${mode.requiredPlayers}`,
            players: [...session.members],
            keys: [session.key],
          });
        }
      },
    };
  },
} satisfies Checker;
