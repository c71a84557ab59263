import { fewerEvents, withoutChoice } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/** Shortest and longest stop-the-world pause, in ms: long enough for locks and presence to expire. */
const MIN_PAUSE_MS = 5_000;
export const MAX_PAUSE_MS = 20_000;

/** An instance stops (a GC pause, a stopped VM) and resumes later with everything it had in flight. */
export default {
  name: "pause",
  summary: "an instance stops for seconds, long enough for its locks and presence to lapse, then resumes",
  rank: 20,
  plan(world) {
    for (let i = 0; i < world.options.events.pauses; i++) {
      const slot = world.rng.pick(world.slots);
      const duration = world.rng.int(MIN_PAUSE_MS, MAX_PAUSE_MS);
      world.schedule(world.activeTime(), { fault: "pause", target: slot, note: `${duration} ms` }, () => {
        const instance = world.instance(slot);
        if (!instance?.alive) return "down";
        world.pause(instance, duration);
        return `${instance.id} paused until ${world.now() + duration}`;
      });
    }
  },
  offer(world) {
    for (const slot of world.slots) {
      world.offer(
        { fault: "pause", target: slot, note: "" },
        () => {
          const instance = world.instance(slot);
          return world.momentFor(slot) && world.midHandler(slot) && instance !== undefined && !world.paused(instance);
        },
        () => {
          const instance = world.instance(slot);
          if (!instance?.alive) return "down";
          const duration = world.choiceRng.int(MIN_PAUSE_MS, MAX_PAUSE_MS);
          world.pause(instance, duration);
          return `${instance.id} paused for ${duration} ms, until ${world.now() + duration}`;
        },
      );
    }
  },
  smaller: (options) => [...fewerEvents(options, "pauses"), ...withoutChoice(options, "pause")],
  stallMs: (options) => (options.events.pauses > 0 || (options.choices?.pause ?? 0) > 0 ? MAX_PAUSE_MS : 0),
  losesInstances: (options) => options.events.pauses > 0 || (options.choices?.pause ?? 0) > 0,
} satisfies FaultKind;
