import { offerOnConnections } from "../connection-offers.ts";
import type { FaultKind } from "../fault-kind.ts";
import { withoutChoice } from "../smaller-worlds.ts";

/** How long a lossy stretch lasts, ms, log-uniform between these: a blip to a congested link's bad spell. */
const SHORTEST_MS = 500;
const LONGEST_MS = 15_000;
/** The chance each command of the stretch is lost, uniform between these. */
const LEAST_LOSS = 0.3;
const MOST_LOSS = 0.9;

/**
 * A Redis connection's path turns lossy for a while (a congested link, a flapping NIC): commands and replies are
 * lost at random, several in a row as often as not. A single lost command (lost-command, lost-reply) never fails a
 * retry too; this does, so the paths that run when retries run out (a leave kept for the next presence round, an
 * enqueue given up, a rollback that never landed) meet their own second failure.
 */
export default {
  name: "flaky-link",
  summary: "a Redis connection loses commands or replies at random for a while (a lossy network path)",
  rank: 85,
  plan() {},
  offer(world) {
    offerOnConnections(world, "flaky-link", (connection) => {
      const durationMs = Math.round(world.choiceRng.logUniform(SHORTEST_MS, LONGEST_MS));
      const chance = LEAST_LOSS + world.choiceRng.float() * (MOST_LOSS - LEAST_LOSS);
      return connection.lossyFor(durationMs, chance);
    });
  },
  smaller: (options) => withoutChoice(options, "flaky-link"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
