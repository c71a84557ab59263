import type { FaultKind } from "../fault-kind.ts";
import { atServerMoment } from "../server-moments.ts";
import { withoutChoice } from "../smaller-worlds.ts";

/** How long a partition lasts, ms, log-uniform between these: a switch's hiccup to a host lost past its registration. */
const SHORTEST_MS = 1_000;
const LONGEST_MS = 60_000;

/**
 * A dedicated server's host is cut off from the network for a while (a partition, a frozen VM), its process up
 * throughout. Unlike a death, which refuses calls at once and loses the games it hosted, nothing reaches it or
 * leaves it: calls wait until they time out, its heartbeats and releases fail, its registration may lapse and
 * be reaped while an allocation still holds it, and once the partition heals it carries on where it was.
 */
export default {
  name: "server-partition",
  summary: "a dedicated server's host is cut off from the network for a while, its process up (calls meet silence, its Redis commands fail)",
  rank: 105,
  plan() {},
  offer(world) {
    for (const id of world.servers) {
      world.offer(
        { fault: "server-partition", target: id, note: "" },
        () => world.serverUp(id) && !world.serverCutOff(id) && atServerMoment(world, id),
        () => world.cutOffServer(id, Math.round(world.choiceRng.logUniform(SHORTEST_MS, LONGEST_MS))),
      );
    }
  },
  smaller: (options) => withoutChoice(options, "server-partition"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
