import { fewerEvents, withoutChoice } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";
import { atServerMoment } from "../server-moments.ts";

/** Shortest and longest time before a dead dedicated server's replacement process starts, in ms. */
const RESTART_MIN_MS = 5_000;
const RESTART_MAX_MS = 20_000;
/**
 * The shortest restart of a death by choice, in ms: a supervisor that starts the replacement at once, which then
 * registers while what the dead process was part of (an allocation's create call) is still in flight.
 */
const QUICK_RESTART_MS = 500;

/** A dedicated server process dies, idle or with a game; half of the time a new one takes its place later. */
export default {
  name: "server-death",
  summary: "a dedicated server's process dies (idle or hosting a game); half of the time a new one starts later",
  rank: 100,
  plan(world) {
    for (let i = 0; i < (world.options.events.serverDeaths ?? 0) && world.servers.length > 0; i++) {
      const id = world.rng.pick(world.servers);
      const returns = world.rng.chance(0.5);
      const after = world.rng.int(RESTART_MIN_MS, RESTART_MAX_MS);
      world.schedule(world.activeTime(), { fault: "server-death", target: id, note: "" }, () => {
        if (returns) world.schedule(after, { fault: "server-return", target: id, note: "" }, () => world.serverProcess(id, "revive"));
        return world.serverProcess(id, "die");
      });
    }
  },
  offer(world) {
    // Half the time a replacement starts after a delay drawn log-uniformly from an immediate restart to a slow
    // one, which may register afresh while an allocation still holds the server claimed.
    for (const id of world.servers) {
      world.offer(
        { fault: "server-death", target: id, note: "" },
        () => world.serverUp(id) && atServerMoment(world, id),
        () => {
          if (world.choiceRng.chance(0.5)) {
            const after = Math.round(world.choiceRng.logUniform(QUICK_RESTART_MS, RESTART_MAX_MS));
            world.schedule(after, { fault: "server-return", target: id, note: "" }, () => world.serverProcess(id, "revive"));
          }
          return world.serverProcess(id, "die");
        },
      );
    }
  },
  smaller: (options) => [...fewerEvents(options, "serverDeaths"), ...withoutChoice(options, "server-death")],
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
