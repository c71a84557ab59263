import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/** How long a dropped subscriber connection takes to come back and subscribe again, in ms. */
const MIN_GAP_MS = 100;
const MAX_GAP_MS = 2_000;

/**
 * An instance's subscriber connection drops (a network blip, Redis closing a client over its output buffer limit):
 * its subscriptions are gone until the client reconnects and restores them, and whatever was published to it
 * meanwhile is lost.
 */
export default {
  name: "subscription-loss",
  summary: "an instance's subscriptions drop with their connection and come back a moment later; what was published meanwhile is lost",
  rank: 45,
  plan(world) {
    for (let i = 0; i < (world.options.events.subscriptionLosses ?? 0); i++) {
      const slot = world.rng.pick(world.slots);
      const gap = world.rng.int(MIN_GAP_MS, MAX_GAP_MS);
      world.schedule(world.activeTime(), { fault: "subscription-loss", target: slot, note: `${gap} ms` }, () => {
        const instance = world.instance(slot);
        if (!instance?.alive) return "down";
        world.loseSubscriptions(instance, gap);
        return `${instance.id} deaf until ${world.now() + gap}`;
      });
    }
  },
  smaller: (options) => fewerEvents(options, "subscriptionLosses"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
