import { offerOnConnections } from "../connection-offers.ts";
import type { FaultKind } from "../fault-kind.ts";
import { withoutChoice } from "../smaller-worlds.ts";

/** A Redis command is lost on its way: the connection breaks before Redis applies it, and the caller sees an error. */
export default {
  name: "lost-command",
  summary: "a command a connection is about to send is lost before Redis applies it",
  rank: 70,
  plan() {},
  offer(world) {
    offerOnConnections(world, "lost-command", (connection) => {
      connection.loseNext("lost-before");
      return `the next command of ${connection.client} is lost`;
    });
  },
  smaller: (options) => withoutChoice(options, "lost-command"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
