import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * Something other than the server publishes on the server's channels: a version of the server with another payload
 * format during a rolling deploy, another application sharing the Redis, an operator's `PUBLISH` by hand.
 */
export default {
  name: "foreign-publish",
  summary: "a foreign publisher puts a payload that is not the contract (not JSON, another shape, an unknown message) on a server's channel",
  // Planned after every older kind, so that adding it left the plans of worlds without it as they were.
  rank: 110,
  plan(world) {
    for (let i = 0; i < (world.options.events.garbagePublishes ?? 0); i++) {
      world.schedule(world.activeTime(), { fault: "foreign-publish", target: "", note: "" }, () => world.publishGarbage());
    }
  },
  smaller: (options) => fewerEvents(options, "garbagePublishes"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
