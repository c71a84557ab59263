import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/** Something other than the server writes garbage where the server reads (see each variant's corruptions). */
export default {
  name: "foreign-write",
  summary: "a foreign writer puts garbage, or plausible records that disagree with one another, into the server's keys",
  rank: 40,
  plan(world) {
    for (let i = 0; i < world.options.events.corruptions; i++) {
      world.schedule(world.activeTime(), { fault: "foreign-write", target: "", note: "" }, () => world.foreignWrite());
    }
  },
  smaller: (options) => fewerEvents(options, "corruptions"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
