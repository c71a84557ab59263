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
  check: {
    // Four players, one more than other check sizes: two allocations of one server need two pairs, on two
    // instances sharing one server.
    players: ["normal", "normal", "normal", "normal"],
    instances: 2,
    servers: 1,
    // Presence renewed off the 5 s grid of match ticks and sweeps, and a short settle: jobs that coincide, and
    // every round of them, multiply the schedules.
    options: { activeMs: 4_000, settleMs: 5_000, config: { ...BASE.config, matchTickMs: 500, presenceIntervalMs: 7_000 } },
  },
} satisfies Scenario;
