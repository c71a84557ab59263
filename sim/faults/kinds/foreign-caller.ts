import { fewerEvents } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * A dedicated server's create endpoint is reachable by more than the match servers: a port scanner posts junk, a
 * client of another version sends an invalid key or reuses one for other players, a proxy replays a captured
 * call long after it was answered, perhaps to a process that never saw it. The refusals must change nothing; a
 * replay the current process never saw makes a game nobody will play, as a proxy's retry after a restart does.
 */
export default {
  name: "foreign-caller",
  summary: "something other than a match server calls a dedicated server: junk, an invalid key, a key reused for other players, an old call replayed",
  // Planned after every older kind, so that adding it left the plans of worlds without it as they were.
  rank: 120,
  plan(world) {
    for (let i = 0; i < (world.options.events.foreignCalls ?? 0) && world.servers.length > 0; i++) {
      const id = world.rng.pick(world.servers);
      world.schedule(world.activeTime(), { fault: "foreign-caller", target: id, note: "" }, () => world.foreignCall(id));
    }
  },
  smaller: (options) => fewerEvents(options, "foreignCalls"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
