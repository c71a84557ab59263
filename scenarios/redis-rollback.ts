import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";
import redisRestart from "./redis-restart.ts";

export default {
  name: "redis-rollback",
  summary: "Redis restarts from a snapshot some seconds old and a dedicated server dies while players queue, load and play.",
  provokes:
    "Every key back as it was at the snapshot, acknowledged writes since lost, scripts and connections gone: the " +
    "records no longer say what clients were told (a game found, a place in the queue, a server claimed or released). " +
    "The fixed server's scripts see that Redis's run_id is not the one the state was written under, and wipe it; " +
    "legacy goes on from the restored records, and keeps listing a dedicated server that dies, whose registration " +
    "a restart would have wiped and the load writes back.",
  defects: [],
  breaks: ["dead-servers-reaped", "no-double-match", "no-lost-player"],
  // redis-restart's world, its restart one from a snapshot.
  options: {
    ...redisRestart.options,
    events: { ...redisRestart.options.events, redisRestarts: 0, redisRollbacks: 1 },
  },
  check: {
    players: ["normal", "normal"],
    instances: 1,
    servers: 1,
    options: { activeMs: 10_000, events: { ...BASE.events, redisRollbacks: 1 } },
  },
} satisfies Scenario;
