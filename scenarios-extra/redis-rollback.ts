import redisRestart from "../scenarios/redis-restart.ts";

/**
 * redis-restart's world with its restart one from a snapshot: `npx sim fuzz --scenario
 * scenarios-extra/redis-rollback.ts`. The fixed server survives it since its scripts check the epoch
 * (docs/fixed-server.md). Kept out of scenarios/ (and so out of `sim list`, the determinism suite and CI) because
 * the conformance suite replays every scenario's commands against a real Redis, and a rollback's restore is no
 * command it can replay.
 */
export default {
  name: "redis-rollback",
  summary: "Redis restarts from a snapshot some seconds old and a dedicated server dies while players queue, load and play.",
  provokes:
    "Every key back as it was at the snapshot, acknowledged writes since lost, scripts and connections gone: the " +
    "records no longer say what clients were told (a game found, a place in the queue, a server claimed or released).",
  options: {
    ...redisRestart.options,
    events: { ...redisRestart.options.events, redisRestarts: 0, redisRollbacks: 1 },
  },
};
