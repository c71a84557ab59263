import { fewerEvents } from "../event-counts.ts";
import type { FaultKind } from "../fault-kind.ts";

/** An instance process dies at a drawn time; a supervisor starts a new incarnation a few seconds later. */
export default {
  name: "crash",
  summary: "an instance dies (its connections reset, its timers and requests vanish) and is restarted",
  rank: 10,
  plan(world) {
    for (let i = 0; i < world.options.events.crashes; i++) {
      const slot = world.rng.pick(world.slots);
      world.schedule(world.activeTime(), { fault: "crash", target: slot, note: "" }, () => {
        const instance = world.instance(slot);
        if (!instance?.alive) return "already down";
        world.crash(instance, "crash fault");
        return `${instance.id} crashed`;
      });
    }
  },
  smaller: (options) => fewerEvents(options, "crashes"),
  stallMs: () => 0,
  losesInstances: (options) => options.events.crashes > 0,
} satisfies FaultKind;
