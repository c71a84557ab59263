import { RedisCommandError, type RedisArg, type RedisReply, type SimulatedRedis } from "../redis/index.ts";
import type { StepProfile } from "./driver.ts";

/** Told of every command a client of the simulated Redis executes, with its reply or error text. */
export type CommandListener = (command: string, args: readonly RedisArg[], outcome: { reply: RedisReply } | { error: string }) => void;

/** The engine with its `execute` wrapped; everything else goes straight through. */
function aroundExecute(redis: SimulatedRedis, execute: SimulatedRedis["execute"]): SimulatedRedis {
  return {
    execute,
    subscribe: (subscriber, channel) => redis.subscribe(subscriber, channel),
    psubscribe: (subscriber, pattern) => redis.psubscribe(subscriber, pattern),
    disconnect: (subscriber) => redis.disconnect(subscriber),
    inspect: (key) => redis.inspect(key),
    field: (key, field) => redis.field(key, field),
    version: () => redis.version(),
    keys: () => redis.keys(),
    lastFootprint: () => redis.lastFootprint(),
    snapshot: () => redis.snapshot(),
    restart: () => redis.restart(),
  };
}

/** The engine with every executed command reported, replies and error replies alike (the conformance suite). */
export function recording(redis: SimulatedRedis, onCommand: CommandListener): SimulatedRedis {
  const recorded = aroundExecute(redis, (command, args) => {
    try {
      const reply = redis.execute(command, args);
      onCommand(command, args, { reply });
      return reply;
    } catch (error) {
      if (error instanceof RedisCommandError) onCommand(command, args, { error: error.message });
      throw error;
    }
  });
  return {
    ...recorded,
    // A replay cannot restart the real Redis: what it can replay of a restart is the scripts it forgets (the run_id
    // stays each side's own, and the conformance suite compares it as such).
    restart: () => {
      redis.restart();
      onCommand("SCRIPT", ["FLUSH"], { reply: "OK" });
    },
  };
}

/** The engine with the time spent executing commands added to a profile (the benchmark's breakdown). */
export function timed(redis: SimulatedRedis, profile: StepProfile): SimulatedRedis {
  return aroundExecute(redis, (command, args) => {
    const started = performance.now();
    try {
      return redis.execute(command, args);
    } finally {
      profile.redis += performance.now() - started;
    }
  });
}
