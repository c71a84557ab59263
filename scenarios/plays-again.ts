import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "plays-again",
  summary: "Players who play again after their game: soon after it, or more than an hour later.",
  provokes:
    "A second request from a player whose record says it is in a game: while that game runs, after its server ended it, and " +
    "after the records of a game long over have expired. A player must never be sent back to a game that is over, and " +
    "must be matched again.",
  defects: [],
  breaks: ["announced-games", "eventual-match"],
  options: {
    ...BASE,
    players: ["plays-again", "plays-again", "plays-again", "plays-again", "normal", "normal"],
    // Long enough for the latest second request (a little over an hour after a game) to be answered; the
    // active phase ends as soon as nobody has anything left to do.
    activeMs: 4_200_000,
    maxSteps: 60_000,
  },
  // One pair who play again, on one instance and server: the second request's hour-long wait stays (its point),
  // only the world around it shrinks.
  check: { players: ["plays-again", "plays-again"], instances: 1, servers: 1, options: { config: { ...BASE.config, presenceIntervalMs: 7_000 } } },
} satisfies Scenario;
