import { fewerEvents, withoutChoice } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * How long Redis stays unreachable, in ms: from a blip that clients ride out in their offline queue to outages
 * that outlast their retries (the queue fails what it holds 300 ms, then 3.1 s, after the loss).
 */
const MIN_OUTAGE_MS = 200;
export const MAX_OUTAGE_MS = 4_000;

/**
 * Redis is unreachable for a while and comes back with its data (a network partition, a failover that keeps the
 * data): every connection breaks, commands sent meanwhile wait or fail as ioredis's offline queue decides, and
 * subscriptions are restored on reconnecting.
 */
export default {
  name: "redis-outage",
  summary: "Redis is unreachable for a moment, its data kept: connections break, commands sent meanwhile wait or fail",
  rank: 85,
  plan(world) {
    for (let i = 0; i < (world.options.events.redisOutages ?? 0); i++) {
      const outageMs = world.rng.int(MIN_OUTAGE_MS, MAX_OUTAGE_MS);
      world.schedule(world.activeTime(), { fault: "redis-outage", target: "", note: `${outageMs} ms` }, () => world.cutRedis(outageMs));
    }
  },
  offer(world) {
    // While a handler of some instance waits on Redis: its next commands meet the outage halfway through its work.
    world.offer(
      { fault: "redis-outage", target: "", note: "" },
      () => world.slots.some((slot) => world.momentFor(slot) && world.midHandler(slot)),
      () => world.cutRedis(world.choiceRng.int(MIN_OUTAGE_MS, MAX_OUTAGE_MS)),
    );
  },
  smaller: (options) => [...fewerEvents(options, "redisOutages"), ...withoutChoice(options, "redis-outage")],
  stallMs: (options) => ((options.events.redisOutages ?? 0) > 0 || (options.choices?.["redis-outage"] ?? 0) > 0 ? MAX_OUTAGE_MS : 0),
  losesInstances: () => false,
} satisfies FaultKind;
