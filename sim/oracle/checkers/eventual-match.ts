import type { Checker } from "../checker.ts";

/** Liveness at the end: enough willing players of a mode and an idle server means somebody should have played. */
export default {
  name: "eventual-match",
  meaning: "after settling, no willing player waits in a queue while a dedicated server is up and free",
  rank: 70,
  create: (run) => ({
    atEnd(point, view) {
      // The world's own account where it has one: a server that lost its registration is still free.
      const idle = run.options.world?.freeServers() ?? view.servers.filter((server) => server.status === "idle" && run.observed.isWorldServer(server.id)).length;
      if (idle === 0) return;
      for (const mode of run.config.gameModes) {
        const waiting = [...run.players.values()].filter(
          (player) => player.mode === mode.name && player.willing && player.view.state !== "matched",
        );
        if (waiting.length < mode.requiredPlayers) continue;
        run.report(point, `mode:${mode.name}`, {
          kind: "willing players wait beside an idle server",
          message: `after settling, ${waiting.length} connected willing players of ${mode.name} are unmatched (${waiting
            .map((player) => `${player.id}: ${player.view.state}`)
            .join(", ")}) while ${idle} dedicated server(s) are ${run.options.world ? "up and free" : "idle"}`,
          players: waiting.map((player) => player.id),
          keys: [],
        });
      }
    },
  }),
} satisfies Checker;
