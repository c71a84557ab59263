import type { Checker } from "../checker.ts";

/** Sweeps a dead server's lapsed registration may wait for: the sweep runs with the match tick, on any instance. */
const SWEEPS_TO_REAP = 2;
/** Room for the sweep's own round trips and a step running a little after it was due. */
const REAP_SLACK_MS = 5_000;

/**
 * A dedicated server that dies stops renewing its registration, and once that lapses the match servers forget it
 * (docs/fixed-server.md, dedicated servers as live members): a dead server left listed is counted live by operators
 * and kept in the pool claims must skip. Judged where the world says which servers died and when (a simulated run).
 */
export default {
  name: "dead-servers-reaped",
  meaning: `a dedicated server whose process has been down for longer than its registration lasts, ${SWEEPS_TO_REAP} match ticks and a slack, is no longer listed`,
  rank: 58,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    const bound = world.serverRegistrationTtlMs + SWEEPS_TO_REAP * run.config.matchTickMs + run.bounds.stallMs + REAP_SLACK_MS;
    return {
      atEnd(point, view) {
        for (const record of view.servers) {
          if (!run.observed.isWorldServer(record.id)) continue;
          const down = world.serverDownSince(record.id);
          // Sweeps run only while timers do: not once the match servers have stopped.
          const swept = Math.min(point.at, run.observed.steps.lastTimerAt);
          if (down === null || swept - down <= bound) continue;
          run.report(point, `dead:${record.id}`, {
            kind: "dead server still listed",
            message: `${record.id} died at ${(down / 1000).toFixed(1)} s, yet it is still listed (${record.status}) after sweeps ran until ${(swept / 1000).toFixed(1)} s`,
            players: [],
            keys: [record.key],
          });
        }
      },
    };
  },
} satisfies Checker;
