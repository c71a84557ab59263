import type { Scenario } from "../sim/scenario/options.ts";
import redisRestart from "../scenarios/redis-restart.ts";

/**
 * redis-restart's world with its restart one from a snapshot: kept out of scenarios/ (and so out of `sim list`
 * and CI) while the fixed server cannot survive it. Run with `npx sim fuzz --scenario scenarios-extra/redis-rollback.ts`.
 */
export default {
  ...redisRestart,
  name: "redis-rollback",
  summary: "Redis restarts from a snapshot some seconds old and a dedicated server dies while players queue, load and play.",
  provokes:
    "Every key back as it was at the snapshot, acknowledged writes after it lost, scripts and connections gone: " +
    "the records no longer say what clients were told (a match found, a place in the queue, a server claimed).",
  breaks: [],
  options: {
    ...redisRestart.options,
    events: { ...redisRestart.options.events, redisRestarts: 0, redisRollbacks: 1 },
  },
  check: {
    ...redisRestart.check,
    options: { ...redisRestart.check.options, events: { ...redisRestart.check.options.events, redisRestarts: 0, redisRollbacks: 1 } },
  },
} satisfies Scenario;
