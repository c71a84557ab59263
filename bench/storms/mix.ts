import type { Behaviour } from "../../sim/players/behaviour.ts";
import { BASE } from "../../scenarios/defaults.ts";
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
  config: {
    gameModes: [
      { name: "Normal_1v1", requiredPlayers: 2 },
      { name: "Duo_2v2", requiredPlayers: 4 },
    ],
    heartbeatIntervalMs: 15_000,
    clientTimeoutMs: 30_000,
  },
  gameMs: { min: 300, max: 3_000 },
  activeMs: 30_000,
};
