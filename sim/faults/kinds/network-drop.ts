import { fewerEvents, withoutChoice } from "../smaller-worlds.ts";
import type { FaultKind } from "../fault-kind.ts";

/** A player's network drops without a close frame (the server learns by heartbeat); the player reconnects. */
export default {
  name: "network-drop",
  summary: "a player's network drops silently, then it reconnects",
  rank: 30,
  plan(world) {
    for (let i = 0; i < world.options.events.disconnects && world.players.length > 0; i++) {
      const player = world.rng.pick(world.players);
      world.schedule(world.activeTime(), { fault: "network-drop", target: player.id, note: "" }, () => {
        player.dropNetwork();
        return "";
      });
    }
  },
  offer(world) {
    for (const player of world.players) {
      world.offer(
        { fault: "network-drop", target: player.id, note: "" },
        () => player.connected && player.view.state !== "matched",
        () => {
          player.dropNetwork();
          return "";
        },
      );
    }
  },
  smaller: (options) => [...fewerEvents(options, "disconnects"), ...withoutChoice(options, "network-drop")],
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
