import { ROUGH_FAULTS, STORM } from "./mix.ts";

export default {
  name: "storm-everything",
  summary: "Every kind of fault at rates far above the swarm's: lost commands and replies, outages, pauses, crashes, clock steps.",
  options: {
    ...STORM,
    faults: ROUGH_FAULTS,
    events: { ...STORM.events, disconnects: 4, serverDeaths: 2, crashes: 1, pauses: 1, redisOutages: 1, subscriptionLosses: 1, redisClockJumps: 1, maxSkewMs: 2_000 },
  },
};
