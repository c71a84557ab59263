import type { FaultKind } from "../fault-kind.ts";
import { withoutChoice } from "../smaller-worlds.ts";

/** A Redis command is lost on its way: the connection breaks before Redis applies it, and the caller sees an error. */
export default {
  name: "lost-command",
  summary: "a command a connection is about to send is lost before Redis applies it",
  rank: 70,
  plan() {},
  offer(world) {
    for (const target of world.connectionTargets) {
      world.offer(
        { fault: "lost-command", target, note: "" },
        () => world.connection(target)?.commandReady() === true,
        () => {
          const connection = world.connection(target);
          if (!connection) return "no connection";
          connection.loseNext("lost-before");
          return `the next command of ${connection.client} is lost`;
        },
      );
    }
  },
  smaller: (options) => withoutChoice(options, "lost-command"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
