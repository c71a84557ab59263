import { STORM } from "./mix.ts";

export default {
  name: "storm-lost-data",
  summary: "Redis restarts empty and from an old snapshot, foreign writes and publishes, crashes, on top of storm-everything's rates.",
  options: {
    ...STORM,
    faults: {
      ...STORM.faults,
      messageDelay: 0.1,
      redisSlow: 0.05,
      redisFailBefore: 0.02,
      redisFailAfter: 0.02,
      serverSlow: 0.1,
      serverError: 0.05,
      subscribeFail: 0.1,
      serverRetried: 0.2,
    },
    events: { ...STORM.events, disconnects: 3, serverDeaths: 1, crashes: 1, corruptions: 2, redisRestarts: 1, redisRollbacks: 1, garbagePublishes: 1, maxSkewMs: 2_000 },
  },
};
