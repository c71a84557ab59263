import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "stale-sweep",
  summary: "Players who quit around the moment they are matched, beside players who stay.",
  provokes:
    "Seed defect 3: a player who leaves as its session is created leaves a member nobody will cancel; the stale " +
    "sweep then re-queues every member, the departed one included, leaving a ghost in the queue.",
  defects: [3],
  breaks: ["no-lost-player", "ready-respected"],
  options: {
    ...BASE,
    players: ["normal", "quits-before-match", "normal", "quits-before-match", "normal", "quits-before-match"],
    joinWindowMs: 4_000,
    // Quits on whole seconds land on match ticks (every 5 s) often enough for the race to be likely.
    timeGridMs: 1_000,
  },
  check: {
    players: ["normal", "quits-before-match"],
    instances: 1,
    servers: 1,
    // Presence renewed off the 5 s grid of match ticks and sweeps, and a short settle: jobs that coincide, and
    // every round of them, multiply the schedules.
    options: { activeMs: 8_000, settleMs: 5_000, config: { ...BASE.config, presenceIntervalMs: 7_000 } },
  },
} satisfies Scenario;
