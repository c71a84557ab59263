import type { Checker } from "../checker.ts";

/**
 * A dedicated server whose registration lapsed is presumed gone (docs/fixed-server.md, dedicated servers as live
 * members): a claim must skip it, or the create call goes to a server that may be dead, and a server only cut off
 * hosts a game the reaper is about to forget. Judged at the step a server turns claimed, against its registration as
 * Redis held it then, for a variant whose servers register with an expiry (the view says until when). A claim a
 * Redis rollback restored was made while the registration lasted, and is no server's until one touches Redis again.
 */
export default {
  name: "claims-live-servers",
  meaning: "a dedicated server is claimed for a session only while its registration lasts",
  rank: 51,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    /** Each server's status in the last view. */
    const before = new Map<string, string>();
    return {
      afterStep(point, view) {
        for (const server of view.servers) {
          const was = before.get(server.id);
          before.set(server.id, server.status);
          const claimed = server.status === "claimed" && was !== undefined && was !== "claimed";
          if (!claimed || server.registeredUntil === undefined || run.observed.steps.foreignWritten(server.key) || run.observed.redisRestored()) continue;
          const now = world.redisTime(point.at);
          if (server.registeredUntil !== null && server.registeredUntil >= now) continue;
          const lapse = server.registeredUntil === null ? "it was not registered at all" : `its registration had lapsed ${now - server.registeredUntil} ms before`;
          run.report(point, `claimed:${server.id}`, {
            kind: "claimed a lapsed server",
            message: `${server.id} was claimed for a session although ${lapse}: the create call may go to a server that is gone`,
            players: [],
            keys: [server.key],
          });
        }
      },
    };
  },
} satisfies Checker;
