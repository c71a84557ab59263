import { fewerEvents, withoutChoice } from "../smaller-worlds.ts";
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
  offer(world) {
    // Right after a step of the instance's own while one of its handlers waits on Redis: between two commands
    // of a handler, where a crash leaves a transition half done. A crash between handlers is a planned crash's.
    for (const slot of world.slots) {
      world.offer(
        { fault: "crash", target: slot, note: "" },
        () => world.momentFor(slot) && world.midHandler(slot),
        () => {
          const instance = world.instance(slot);
          if (!instance?.alive) return "already down";
          world.crash(instance, "crash by choice");
          return `${instance.id} crashed`;
        },
      );
    }
  },
  smaller: (options) => [...fewerEvents(options, "crashes"), ...withoutChoice(options, "crash")],
  stallMs: () => 0,
  losesInstances: (options) => options.events.crashes > 0 || (options.choices?.crash ?? 0) > 0,
} satisfies FaultKind;
