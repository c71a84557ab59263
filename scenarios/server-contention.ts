import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "server-contention",
  summary: "Four pairs matched by a fast tick on two instances, finishing loading together, competing for two dedicated servers.",
  provokes:
    "Two allocations that read the registry at once both take the same idle server (legacy has no claim), and " +
    "a pair that finds no server at all must be told and re-queued, not dropped.",
  defects: [],
  breaks: ["single-allocation", "ready-respected"],
  options: {
    ...BASE,
    players: ["normal", "normal", "normal", "normal", "normal", "normal", "normal", "normal"],
    joinWindowMs: 500,
    // One session per tick across the cluster (legacy's match lock): a tick as fast as a quick load puts the
    // sessions' loads, and so their allocations, within the same second, where coincidences line them up.
    config: { ...BASE.config, matchTickMs: 500 },
  },
} satisfies Scenario;
