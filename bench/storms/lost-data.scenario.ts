import { ROUGH_FAULTS, STORM } from "./mix.ts";

export default {
  name: "storm-lost-data",
  summary: "Redis restarts empty and from an old snapshot, foreign writes and publishes, crashes, on top of storm-everything's rates.",
  options: {
    ...STORM,
    faults: ROUGH_FAULTS,
    events: { ...STORM.events, disconnects: 3, serverDeaths: 1, crashes: 1, corruptions: 2, redisRestarts: 1, redisRollbacks: 1, garbagePublishes: 1, maxSkewMs: 2_000 },
  },
};
