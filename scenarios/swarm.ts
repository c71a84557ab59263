import type { Scenario } from "../sim/scenario/options.ts";
import type { Behaviour } from "../sim/players/behaviour.ts";
import { BASE } from "./defaults.ts";

const MIX: Array<[Behaviour, number]> = [
  ["normal", 90],
  ["slow-loader", 10],
  ["never-loads", 6],
  ["quits-before-match", 12],
  ["quits-during-loading", 12],
  ["quits-after-match", 12],
  ["reconnects", 24],
  ["changes-mode", 12],
  ["enqueues-twice", 24],
  ["malformed-frames", 5],
  ["unknown-mode", 5],
  ["floods", 3],
];

export default {
  name: "swarm",
  summary: "215 players of every behaviour over three instances and two game modes, with every fault at a low rate.",
  provokes: "Everything at once, as production would: the scenario the fixed server must survive every night.",
  defects: [],
  breaks: [],
  options: {
    ...BASE,
    instances: 3,
    servers: 60,
    players: MIX.flatMap(([behaviour, count]) => Array<Behaviour>(count).fill(behaviour)),
    joinWindowMs: 30_000,
    config: {
      gameModes: [
        { name: "Normal_1v1", requiredPlayers: 2 },
        { name: "Duo_2v2", requiredPlayers: 4 },
      ],
      heartbeatIntervalMs: 15_000,
      clientTimeoutMs: 30_000,
    },
    faults: {
      redisFailBefore: 0.001,
      redisFailAfter: 0.001,
      redisSlow: 0.005,
      messageDelay: 0.01,
      serverSlow: 0.02,
      serverError: 0.02,
      serverMalformed: 0.01,
      serverUnreachable: 0.01,
      subscribeFail: 0.05,
      serverRetried: 0.05,
    },
    events: { crashes: 1, pauses: 1, disconnects: 6, corruptions: 2, maxSkewMs: 2_000, redisRestarts: 1, redisOutages: 1, serverDeaths: 2, subscriptionLosses: 2 },
    activeMs: 60_000,
    maxSteps: 400_000,
    pctHorizon: 2_000,
  },
  // Three of its behaviours on one instance and server, without the swarm's fault rates: the mix's small core.
  check: { players: ["normal", "quits-during-loading", "reconnects"], instances: 1, servers: 1, options: { activeMs: 8_000, faults: BASE.faults } },
} satisfies Scenario;
