import type { Rng } from "../../random/rng.ts";
import { fewerEvents, withoutChoice } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * How long Redis stays unreachable, in ms: mostly a blip that clients ride out in their offline queue or that
 * outlasts a retry or two (the queue fails what it holds 300 ms, then 3.1 s, then 9.1 s after the loss), and
 * sometimes as long as a failover takes, which outlasts a handler's every retry.
 */
const MIN_OUTAGE_MS = 200;
const MAX_BLIP_MS = 4_000;
export const MAX_OUTAGE_MS = 12_000;
/** One outage in this many is a long one. */
const LONG_OUTAGE_ODDS = 4;

function outageMs(rng: Rng): number {
  return rng.int(0, LONG_OUTAGE_ODDS - 1) === 0 ? rng.int(MAX_BLIP_MS, MAX_OUTAGE_MS) : rng.int(MIN_OUTAGE_MS, MAX_BLIP_MS);
}

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
      const ms = outageMs(world.rng);
      world.schedule(world.activeTime(), { fault: "redis-outage", target: "", note: `${ms} ms` }, () => world.cutRedis(ms));
    }
  },
  offer(world) {
    // While a handler of some instance waits on Redis: its next commands meet the outage halfway through its work.
    world.offer(
      { fault: "redis-outage", target: "", note: "" },
      () => world.slots.some((slot) => world.momentFor(slot) && world.midHandler(slot)),
      () => world.cutRedis(outageMs(world.choiceRng)),
    );
  },
  smaller: (options) => [...fewerEvents(options, "redisOutages"), ...withoutChoice(options, "redis-outage")],
  stallMs: (options) => ((options.events.redisOutages ?? 0) > 0 || (options.choices?.["redis-outage"] ?? 0) > 0 ? MAX_OUTAGE_MS : 0),
  losesInstances: () => false,
} satisfies FaultKind;
