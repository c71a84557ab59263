import { STORM } from "./mix.ts";

export default {
  name: "storm-delays",
  summary: "A third of all frames and deliveries held up 100 ms to 3 s, some slow commands and dedicated servers, short games.",
  options: {
    ...STORM,
    faults: { ...STORM.faults, messageDelay: 0.3, redisSlow: 0.05, serverSlow: 0.1 },
    events: { ...STORM.events, disconnects: 4, serverDeaths: 1 },
  },
};
