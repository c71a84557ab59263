import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * How far Redis's clock steps, either way, in ms: ntpd steps a clock that is off by more than 128 ms, chrony's
 * `makestep` by a second or more, and a failover lands on a host whose clock disagrees by what its sync left.
 */
const MIN_JUMP_MS = 100;
const MAX_JUMP_MS = 3_000;

/**
 * Redis's clock steps forward or back. The fixed design keeps every deadline, presence and registration in Redis
 * `TIME`, and Redis expires keys by the same clock: a step forward makes them all fall due early, one back late.
 */
export default {
  name: "redis-clock-jump",
  summary: "Redis's clock steps forward or back by 0.1 to 3 s (an NTP step, a failover to a host whose clock differs): deadlines and expiries move with it",
  // Planned after every older kind, so that adding it left the plans of worlds without it as they were.
  rank: 115,
  plan(world) {
    for (let i = 0; i < (world.options.events.redisClockJumps ?? 0); i++) {
      const byMs = world.rng.int(MIN_JUMP_MS, MAX_JUMP_MS) * (world.rng.chance(0.5) ? 1 : -1);
      world.schedule(world.activeTime(), { fault: "redis-clock-jump", target: "", note: `${byMs} ms` }, () => world.jumpRedisClock(byMs));
    }
  },
  smaller: (options) => fewerEvents(options, "redisClockJumps"),
  // A step back holds every deadline in Redis time back by its size, as a pause holds an instance's work.
  stallMs: (options) => (options.events.redisClockJumps ?? 0) * MAX_JUMP_MS,
  // A step forward may lapse an instance's presence before its renewal.
  losesInstances: (options) => (options.events.redisClockJumps ?? 0) > 0,
} satisfies FaultKind;
