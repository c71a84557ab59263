import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "server-contention",
  summary: "Three pairs finishing loading together on two instances, competing for two dedicated servers.",
  provokes:
    "Two allocations that read the registry at once both take the same idle server (legacy has no claim), and " +
    "one pair finds no server at all: it must be told and re-queued, not dropped.",
  defects: [],
  breaks: ["single-allocation", "ready-respected"],
  options: {
    ...BASE,
    players: ["normal", "normal", "normal", "normal", "normal", "normal"],
    joinWindowMs: 500,
    // Joins within half a second already line the six loads up; moving them onto timers would spread them out.
    coincidence: 0,
  },
} satisfies Scenario;
