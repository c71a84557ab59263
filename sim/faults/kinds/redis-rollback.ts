import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * How far back the snapshot a rollback restores lies, in ms: Redis's RDB saves come every few seconds on a busy
 * server (`save 60 10000`), and AOF with `appendfsync everysec` loses up to a second or two; a replica promoted
 * after a failover lags by as much as its link was behind.
 */
const MIN_SNAPSHOT_AGE_MS = 1_000;
const MAX_SNAPSHOT_AGE_MS = 10_000;

/**
 * Redis restarts with persistence (or fails over to a lagging replica): it comes back with the keyspace as it
 * was at its last snapshot, every later write lost though acknowledged, its scripts and connections gone. The
 * snapshot is a step of its own, so where it fell among the server's writes replays with the rest.
 */
export default {
  name: "redis-rollback",
  summary: "Redis restarts from its last snapshot: keys as they were some seconds earlier (later writes lost), scripts and connections gone",
  rank: 95,
  plan(world) {
    for (let i = 0; i < (world.options.events.redisRollbacks ?? 0); i++) {
      const strikeAt = world.activeTime();
      const ageMs = world.rng.int(MIN_SNAPSHOT_AGE_MS, MAX_SNAPSHOT_AGE_MS);
      // A strike early in the run restores what Redis held at its start, however little that was.
      world.schedule(Math.max(0, strikeAt - ageMs), { fault: "redis-snapshot", target: "", note: "" }, () => {
        const snapshot = world.saveRedis();
        world.schedule(ageMs, { fault: "redis-rollback", target: "", note: `${ageMs} ms` }, () => world.rollBackRedis(snapshot));
        return `${snapshot.entries.length} keys saved`;
      });
    }
  },
  smaller: (options) => fewerEvents(options, "redisRollbacks"),
  stallMs: () => 0,
  // Presence older than the snapshot may have lapsed by the restore, and a later registration is lost: an instance
  // may be reaped, or fenced, and must register afresh, as after a restart.
  losesInstances: (options) => (options.events.redisRollbacks ?? 0) > 0,
} satisfies FaultKind;
