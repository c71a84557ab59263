import { describe, expect, it } from "vitest";
import { Keys } from "../../src/fixed/keys.ts";
import { boundsFor, Oracle } from "../../sim/oracle/oracle.ts";
import { createSimulatedRedis } from "../../sim/redis/index.ts";
import { countedStats, reportedStats } from "../../sim/variants/fixed/operator-stats.ts";
import type { OperatorReport } from "../../sim/oracle/world-facts.ts";
import { readOnly } from "../../sim/world/read-only-redis.ts";
import { config, view, worldFacts } from "./fixtures.ts";

const NOW = 100_000;

/**
 * A fixed layout at Redis time NOW: instance i1 live with players a (queued) and b (loading, in session s1) on its
 * connections, i2 lapsed; ds1 live and claimed, ds2 live and idle, ds3 lapsed a millisecond ago, ds4 due this very
 * millisecond (still live: a registration lapses once its expiry is behind).
 */
function layout() {
  const redis = createSimulatedRedis({ now: () => NOW, random: () => 0.5 });
  const run = (command: string, ...args: Array<string | number>) => redis.execute(command, args);
  run("ZADD", Keys.instances, NOW + 5_000, "i1", NOW - 1, "i2");
  run("SADD", Keys.conns("i1"), "a", "b");
  run("HSET", Keys.player("a"), "state", "queued", "mode", "Normal_1v1", "conn", "i1/1", "instance", "i1");
  run("HSET", Keys.player("b"), "state", "loading", "session", "s1", "conn", "i1/2", "instance", "i1");
  run("HSET", Keys.session("s1"), "status", "loading", "players", "b,c", "mode", "Normal_1v1");
  run("ZADD", Keys.deadlines, NOW + 30_000, "s1");
  run("ZADD", Keys.liveServers, NOW + 1_000, "ds1", NOW + 1_000, "ds2", NOW - 1, "ds3", NOW, "ds4");
  for (const [id, status] of [["ds1", "claimed"], ["ds2", "idle"], ["ds3", "idle"], ["ds4", "busy"]]) {
    run("HSET", Keys.server(id as string), "address", `${id}.sim:7000`, "status", status as string);
  }
  return redis;
}

/** The oracle's verdicts at the end of a run whose stats command reported `reports`, over `layout()`. */
function judged(reports: OperatorReport[]): string[] {
  const redis = layout();
  const oracle = new Oracle([], config, boundsFor(config, 0), { world: { ...worldFacts({ operatorReports: reports }), redisTime: () => NOW }, operatorCounts: countedStats }, { redis: readOnly(redis) });
  oracle.atEnd(1, NOW, view(() => {}));
  return oracle.violations.filter((violation) => violation.invariant === "operator-stats").map((violation) => violation.message);
}

describe("operator-stats", () => {
  it("counts the layout as docs/fixed-server.md defines it, and the server's stats script agrees", () => {
    const redis = layout();
    const counted = countedStats(readOnly(redis), "i1", NOW);
    expect(counted).toMatchObject({
      "players.queued": 1,
      "players.loading": 1,
      "sessions.loading": 1,
      "servers.live": 3,
      "servers.claimed": 1,
      "servers.idle": 1,
      "servers.busy": 1,
      "servers.expired": 1,
      instances: 1,
    });
    expect(reportedStats(redis, "i1")).toEqual(counted);
  });

  it("stays quiet when the stats command reports what Redis holds", () => {
    expect(judged([{ instance: "i1", reported: reportedStats(layout(), "i1") }])).toEqual([]);
    expect(judged([])).toEqual([]);
  });

  it("fires when a count disagrees with Redis, naming the count, and when the reply cannot be read", () => {
    const right = reportedStats(layout(), "i1") as Record<string, number>;
    const wrong = { ...right, "servers.live": 1, "servers.expired": 3 };
    expect(judged([{ instance: "i1", reported: wrong }])).toEqual([
      "the stats command for i1 reports servers.expired 3 (Redis holds 1), servers.live 1 (Redis holds 3)",
    ]);
    expect(judged([{ instance: "i1", reported: "stats: unexpected reply" }])).toEqual([
      "the stats command's reply for i1 could not be read: stats: unexpected reply",
    ]);
  });
});
