import { STORM } from "./mix.ts";

export default {
  name: "storm-everything",
  summary: "Every kind of fault at rates far above the swarm's: lost commands and replies, outages, pauses, crashes, clock steps.",
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
    events: { ...STORM.events, disconnects: 4, serverDeaths: 2, crashes: 1, pauses: 1, redisOutages: 1, subscriptionLosses: 1, redisClockJumps: 1, maxSkewMs: 2_000 },
  },
};
