import type { Behaviour } from "../../sim/players/behaviour.ts";
import { BASE } from "../../scenarios/defaults.ts";
import swarm from "../../scenarios/swarm.ts";
import type { FaultRates } from "../../sim/faults/parameters.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";

/** A small crowd of most behaviours: enough players for both modes to match, few enough for many runs a minute. */
const MIX: Array<[Behaviour, number]> = [
  ["normal", 8],
  ["slow-loader", 2],
  ["never-loads", 1],
  ["quits-before-match", 2],
  ["quits-during-loading", 2],
  ["quits-after-match", 2],
  ["reconnects", 4],
  ["changes-mode", 2],
  ["enqueues-twice", 4],
  ["plays-again", 3],
];

/**
 * What every storm shares: two instances, four dedicated servers, two modes, games under three seconds (so a
 * game can start and end while a frame or a command is still on its way), the base scenario's faults by choice.
 */
export const STORM: WorldOptions = {
  ...BASE,
  instances: 2,
  servers: 4,
  players: MIX.flatMap(([behaviour, count]) => Array<Behaviour>(count).fill(behaviour)),
  // The swarm's two modes and heartbeats.
  config: swarm.options.config,
  gameMs: { min: 300, max: 3_000 },
  activeMs: 30_000,
};

/** Every per-operation fault at once, each well above the swarm's rate. */
export const ROUGH_FAULTS: FaultRates = {
  ...STORM.faults,
  messageDelay: 0.1,
  redisSlow: 0.05,
  redisFailBefore: 0.02,
  redisFailAfter: 0.02,
  serverSlow: 0.1,
  serverError: 0.05,
  subscribeFail: 0.1,
  serverRetried: 0.2,
};
