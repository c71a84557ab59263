import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "complete-vs-stale",
  summary: "Slow loaders that finish close to the loading deadline, on instances whose clocks disagree, and a Redis whose clock steps once.",
  provokes:
    "Seed defects 1 and 3: the stale sweep judges a session by the creating instance's wall clock and runs " +
    "beside HandleLoadingComplete, so a sweep on a clock that runs ahead times out players who were ready in time.",
  defects: [1, 3],
  breaks: ["ready-respected"],
  options: {
    ...BASE,
    instances: 3,
    // One server per pair: a pair that finds no server is another defect's business (server-contention).
    servers: 3,
    players: ["slow-loader", "slow-loader", "slow-loader", "slow-loader", "slow-loader", "slow-loader"],
    joinWindowMs: 25_000,
    events: { ...BASE.events, maxSkewMs: 25_000, redisClockJumps: 1 },
    activeMs: 40_000,
  },
  check: {
    players: ["slow-loader", "slow-loader"],
    // Two instances: the defect needs a sweep on one clock judging a session created on another.
    instances: 2,
    servers: 1,
    // Presence renewed off the 5 s grid of match ticks and sweeps, and a short settle: jobs that coincide, and
    // every round of them, multiply the schedules.
    options: { settleMs: 5_000, config: { ...BASE.config, presenceIntervalMs: 7_000 } },
  },
} satisfies Scenario;
