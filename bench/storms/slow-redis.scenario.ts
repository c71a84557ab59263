import { STORM } from "./mix.ts";

export default {
  name: "storm-slow-redis",
  summary: "A fifth of Redis commands take 100 ms to 2 s, a tenth of frames held up, short games.",
  options: {
    ...STORM,
    faults: { ...STORM.faults, messageDelay: 0.1, redisSlow: 0.2, serverSlow: 0.1 },
    events: { ...STORM.events, disconnects: 4, serverDeaths: 1 },
  },
};
