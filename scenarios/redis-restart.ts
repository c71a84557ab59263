import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "redis-restart",
  summary: "Redis restarts empty and a dedicated server dies while players queue, load and play.",
  provokes:
    "Every key, cached script and connection lost at once, and a server process gone with or without a game: " +
    "every process must recover without a restart of its own (reconnect, reload scripts, subscribe again, " +
    "register afresh), players must be told to enqueue again, and every willing player must still be matched. " +
    "Legacy's dedicated servers register once, at start, and are never seen again.",
  defects: [],
  breaks: ["eventual-match", "no-lost-player"],
  options: {
    ...BASE,
    instances: 2,
    servers: 3,
    players: ["normal", "normal", "reconnects", "normal", "slow-loader", "normal", "quits-during-loading", "normal"],
    joinWindowMs: 15_000,
    events: { ...BASE.events, redisRestarts: 1, redisOutages: 1, serverDeaths: 1 },
    // An outage may also strike by choice while a handler waits on Redis, between two of its commands.
    choices: { ...BASE.choices, "redis-outage": 0.5 },
    activeMs: 40_000,
  },
  check: {
    players: ["normal", "normal"],
    instances: 1,
    servers: 1,
    options: { activeMs: 10_000, events: { ...BASE.events, redisRestarts: 1 } },
  },
} satisfies Scenario;
