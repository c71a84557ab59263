import { STORM } from "./mix.ts";

export default {
  name: "storm-servers",
  summary: "A fleet of flaky dedicated servers: calls refused, lost in silence, slow, failing, malformed, retried by a proxy; processes that die, restart and are cut off.",
  options: {
    ...STORM,
    faults: {
      ...STORM.faults,
      messageDelay: 0.05,
      serverSlow: 0.1,
      serverError: 0.1,
      serverMalformed: 0.05,
      serverUnreachable: 0.1,
      serverRetried: 0.2,
    },
    events: { ...STORM.events, disconnects: 2, serverDeaths: 3 },
    // Every run may kill a server, or cut one off, at the moment of its choosing.
    choices: { ...STORM.choices, "server-death": 1, "server-partition": 1 },
  },
};
