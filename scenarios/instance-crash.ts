import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "instance-crash",
  summary: "Three instances that crash, restart and pause under players who reconnect.",
  provokes:
    "A crash between a session's steps (match, ready, allocation) and pauses long enough for locks and presence " +
    "to expire: nothing may be left half done, and nobody may be stranded on a dead instance. Legacy keeps a " +
    "dead instance's players where they were, so a reconnect places them twice.",
  defects: [],
  breaks: ["no-double-match", "no-lost-player", "ready-respected"],
  options: {
    ...BASE,
    instances: 3,
    servers: 3,
    players: ["normal", "normal", "reconnects", "normal", "reconnects", "normal", "slow-loader", "normal"],
    // Heartbeats outlast the longest pause (pause.ts): a resumed instance keeps its connections, so the fencing
    // of an instance its peers declared dead (presence lapses after instanceTtlMs) is what must clean up after it.
    config: { heartbeatIntervalMs: 10_000, clientTimeoutMs: 30_000 },
    // A restarted instance's SUBSCRIBE may fail: it refuses enqueues until its presence job subscribes again.
    faults: { ...BASE.faults, subscribeFail: 0.1 },
    events: { crashes: 2, pauses: 1, disconnects: 2, corruptions: 0, maxSkewMs: 0, serverDeaths: 1, subscriptionLosses: 1 },
    activeMs: 40_000,
  },
  check: {
    players: ["normal", "reconnects"],
    instances: 2,
    servers: 1,
    // Crashes and pauses come from the check's fault choices (--faults), at every moment they can strike.
    // Presence renewed off the 5 s grid of match ticks and sweeps, and a short settle: jobs that coincide, and
    // every round of them, multiply the schedules.
    options: { events: { ...BASE.events }, activeMs: 10_000, settleMs: 5_000, config: { ...BASE.config, presenceIntervalMs: 7_000 } },
  },
} satisfies Scenario;
