import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/** Redis restarts without persistence (or fails over to an empty replica): data, scripts and connections gone. */
export default {
  name: "redis-restart",
  summary: "Redis restarts empty: every key and cached script lost, every connection broken and re-established",
  rank: 90,
  plan(world) {
    for (let i = 0; i < (world.options.events.redisRestarts ?? 0); i++) {
      world.schedule(world.activeTime(), { fault: "redis-restart", target: "", note: "" }, () => world.restartRedis());
    }
  },
  smaller: (options) => fewerEvents(options, "redisRestarts"),
  stallMs: () => 0,
  // Every instance's presence is lost with the data: each must notice and register afresh, as after being reaped.
  losesInstances: (options) => (options.events.redisRestarts ?? 0) > 0,
} satisfies FaultKind;
