import type { Checker } from "../checker.ts";

/**
 * Operators read the server through its stats command (`match-server stats`, the gauges): players by state,
 * live sessions, dedicated servers live and lapsed, live instances. Those counts must be what Redis holds, or an
 * operator drains a pool that is full or misses one that is empty. Judged once the world is still, where the world
 * ran the command and the oracle can count the same things itself (a simulated run of a variant that has one).
 */
export default {
  name: "operator-stats",
  meaning: "the operator's stats command reports, for each instance, the counts Redis holds once the world is still",
  rank: 59,
  create: (run) => {
    const world = run.options.world;
    const count = run.options.operatorCounts;
    const redis = run.redis;
    if (world === undefined || count === undefined || redis === undefined) return {};
    return {
      atEnd(point) {
        const now = world.redisTime(point.at);
        for (const { instance, reported } of world.operatorReports()) {
          if (typeof reported === "string") {
            run.report(point, `unreadable:${instance}`, {
              kind: "stats unreadable",
              message: `the stats command's reply for ${instance} could not be read: ${reported}`,
              players: [],
              keys: [],
            });
            continue;
          }
          const counted = count(redis, instance, now);
          const wrong = Object.keys({ ...counted, ...reported })
            .sort()
            .filter((name) => counted[name] !== reported[name])
            .map((name) => `${name} ${reported[name] ?? "missing"} (Redis holds ${counted[name] ?? "none"})`);
          if (wrong.length === 0) continue;
          run.report(point, `wrong:${instance}`, {
            kind: "stats disagree with Redis",
            message: `the stats command for ${instance} reports ${wrong.join(", ")}`,
            players: [],
            keys: [],
          });
        }
      },
    };
  },
} satisfies Checker;
