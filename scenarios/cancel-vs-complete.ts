import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "cancel-vs-complete",
  summary: "Pairs where one player finishes loading just as the other quits, on two instances.",
  provokes:
    "Seed defect 2: CancelLoadingSession and HandleLoadingComplete race for the session lock; the loser's message " +
    "is dropped, so a quitter's session lingers until the stale sweep times out the player who was ready.",
  defects: [2],
  breaks: ["ready-respected", "no-lost-player"],
  options: {
    ...BASE,
    players: ["normal", "quits-during-loading", "normal", "quits-during-loading"],
    // Loads and quits on whole seconds: a ready and a quit of one session land together often.
    timeGridMs: 1_000,
  },
  check: {
    players: ["normal", "quits-during-loading"],
    instances: 1,
    servers: 1,
    // Presence renewed off the 5 s grid of match ticks and sweeps, and a short settle: jobs that coincide, and
    // every round of them, multiply the schedules.
    options: { activeMs: 8_000, settleMs: 5_000, config: { ...BASE.config, presenceIntervalMs: 7_000 } },
  },
} satisfies Scenario;
