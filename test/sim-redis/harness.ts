import seedrandom from "seedrandom";
import { expect } from "vitest";
import { createSimulatedRedis, RedisCommandError, type Delivery, type RedisArg } from "../../sim/redis/index.ts";

export const T0 = 1_700_000_000_000;

/** A simulated Redis on a hand-driven clock, with short helpers for replies and error replies. */
export function simRedis(seed = "sim-redis") {
  const clock = { now: T0 };
  const published: Delivery[][] = [];
  const engine = createSimulatedRedis({
    now: () => clock.now,
    random: seedrandom(seed),
    onPublish: (deliveries) => published.push([...deliveries]),
  });
  const run = (command: string, ...args: RedisArg[]) => engine.execute(command, args);
  const error = (command: string, ...args: RedisArg[]): string => {
    try {
      engine.execute(command, args);
    } catch (caught) {
      expect(caught).toBeInstanceOf(RedisCommandError);
      return (caught as Error).message;
    }
    throw new Error(`${command} ${args.join(" ")} did not fail`);
  };
  return { engine, clock, run, error, published, advance: (ms: number) => (clock.now += ms) };
}

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
