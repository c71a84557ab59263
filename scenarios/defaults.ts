import type { WorldOptions } from "../sim/scenario/options.ts";
import { NO_EVENTS, NO_FAULTS } from "../sim/faults/parameters.ts";

/**
 * What scenarios start from. Heartbeats are slowed where silent drops are not the subject, because every
 * heartbeat is a step and they would crowd out the steps that race.
 */
export const BASE: WorldOptions = {
  instances: 2,
  servers: 2,
  players: ["normal", "normal"],
  joinWindowMs: 2_000,
  timeGridMs: 250,
  // Every action that can land on another player's action or a server timer within a second does: the
  // coincidences races need, without which most runs of a racy scenario have nothing to interleave.
  coincidence: 1,
  raceWindowMs: 10,
  config: { heartbeatIntervalMs: 30_000, clientTimeoutMs: 60_000 },
  // Games end, and their servers release themselves as the real ones do with --game-ms: within the active phase
  // for the shortest, after the run for the longest, so servers are freed under running allocations and not.
  gameMs: { min: 3_000, max: 40_000 },
  faults: NO_FAULTS,
  events: NO_EVENTS,
  // Each kind of fault a run may strike by choice, at the moment of its choosing, is enabled in a fifth of runs.
  choices: { crash: 0.2, pause: 0.2, "network-drop": 0.2, "lost-command": 0.2, "lost-reply": 0.2, "server-death": 0.2, "flaky-link": 0.2, "server-partition": 0.2 },
  activeMs: 20_000,
  // Two rounds of every 5 s job (match tick, sweep, presence) on the quiet world; a world that loses an
  // instance settles longer, for the reaping (World.reapingMs).
  settleMs: 10_000,
  maxSettleMs: 400_000,
  maxSteps: 20_000,
  pctDepth: 3,
  pctHorizon: 30,
};
