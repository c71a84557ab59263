import seedrandom from "seedrandom";
import type { Clock } from "../../src/ports/index.ts";
import { createSimulatedRedis, DirectRedisPort } from "../../sim/redis/index.ts";

/**
 * A simulated Redis for unit tests, on the test's clock, with ports that answer each call on the next
 * microtask (no scheduler). Each `port(name)` is one client connection, with its own subscriptions.
 */
export function createTestRedis(clock: Clock, seed = "test") {
  const engine = createSimulatedRedis({ now: () => clock.now(), random: seedrandom(seed) });
  return { engine, port: (client: string) => new DirectRedisPort(engine, client) };
}
