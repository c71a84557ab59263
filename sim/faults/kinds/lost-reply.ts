import { offerOnConnections } from "../connection-offers.ts";
import type { FaultKind } from "../fault-kind.ts";
import { withoutChoice } from "../smaller-worlds.ts";

/** A Redis reply is lost: Redis applied the command, the connection broke before the caller heard so. */
export default {
  name: "lost-reply",
  summary: "a command a connection is about to send is applied, but its reply is lost",
  rank: 80,
  plan() {},
  offer(world) {
    offerOnConnections(world, "lost-reply", (connection) => {
      connection.loseNext("lost-after");
      return `the reply to the next command of ${connection.client} is lost`;
    });
  },
  smaller: (options) => withoutChoice(options, "lost-reply"),
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
