import { BASE } from "../../scenarios/defaults.ts";
import { broken } from "../assert.ts";
import { FAULT_KINDS } from "../faults/registry.ts";
import { BEHAVIOURS } from "../players/behaviour.ts";
import { Rng } from "../random/rng.ts";
import type { Scenario, WorldOptions } from "./options.ts";
import { optionsProblem } from "./validate.ts";

/** The name swarm worlds run and are traced under: `sim run swarm-world --seed N` draws seed N's world again. */
export const SWARM_WORLD = "swarm-world";

/** Game modes a swarm world picks from: the first always, the others each in some worlds. */
const MODES = [
  { name: "Normal_1v1", requiredPlayers: 2 },
  { name: "Duo_2v2", requiredPlayers: 4 },
  { name: "Trio_3v3", requiredPlayers: 3 },
];

/**
 * A world's shape drawn from its seed (swarm testing, after TigerBeetle's VOPR): how many instances, dedicated
 * servers and players, each player's behaviour, the game modes, every fault rate and fault event, timing and
 * the faults offered as choices. Most of a parameter's range is some worlds' whole point: a world with one
 * instance and no faults finds what a crowded one hides. Small enough to run in well under a second each.
 */
export function drawSwarmWorld(seed: number): WorldOptions {
  const rng = new Rng(`${SWARM_WORLD}:${seed}`);
  const pick = <T>(items: readonly T[]): T => rng.pick(items);
  const rate = (...rates: number[]): number => pick(rates);
  const players = Array.from({ length: rng.int(1, 8) }, () => pick(BEHAVIOURS));
  const modes = MODES.filter((_, i) => i === 0 || rng.chance(0.3));
  // A fault class is on in about half the worlds, so that some worlds are quiet and others are storms.
  const redisFault = rng.chance(0.5) ? rate(0.01, 0.03) : 0;
  const serverFault = rng.chance(0.5) ? rate(0.1, 0.3) : 0;
  const heartbeatIntervalMs = rate(5_000, 15_000);
  const offered = FAULT_KINDS.filter((kind) => kind.offer !== undefined).map((kind) => kind.name);
  const choices = rate(0, 0.2, 0.5);
  const options: WorldOptions = {
    ...BASE,
    instances: rng.int(1, 3),
    servers: rng.int(1, 4),
    players,
    joinWindowMs: rng.int(0, 10_000),
    timeGridMs: rate(1, 100, 250, 1_000),
    coincidence: rate(0, 0.5, 1),
    raceWindowMs: rate(0, 10, 50),
    config: { gameModes: modes, heartbeatIntervalMs, clientTimeoutMs: 2 * heartbeatIntervalMs },
    faults: {
      redisFailBefore: redisFault,
      redisFailAfter: redisFault,
      redisSlow: rate(0, 0.05),
      messageDelay: rate(0, 0.05),
      serverSlow: serverFault,
      serverError: serverFault,
      serverMalformed: serverFault,
      serverUnreachable: serverFault,
    },
    events: {
      crashes: rng.int(0, 2),
      pauses: rng.int(0, 1),
      disconnects: rng.int(0, 2),
      corruptions: rng.int(0, 2),
      subscriptionLosses: rng.int(0, 1),
      maxSkewMs: rate(0, 5_000, 30_000),
      redisRestarts: rng.int(0, 1),
      redisOutages: rng.int(0, 1),
      serverDeaths: rng.int(0, 2),
    },
    choices: Object.fromEntries(offered.map((kind) => [kind, choices])),
    activeMs: rate(20_000, 30_000),
    maxSteps: 60_000,
    pctHorizon: rate(30, 300),
    // Drawn last, so that every draw above stays what it was in the worlds before this option.
    serverHeartbeatMs: rate(5_000, 15_000),
  };
  // Fault kinds newer than the draws above come after all of them, for the same reason, in the order they came.
  const redisRollbacks = rng.int(0, 1);
  const garbagePublishes = rng.int(0, 1);
  const serverRetried = rng.chance(0.5) ? rate(0.1, 0.3) : 0;
  const redisClockJumps = rng.int(0, 1);
  const foreignCalls = rng.int(0, 2);
  options.events = { ...options.events, redisRollbacks, garbagePublishes, redisClockJumps, foreignCalls };
  options.faults = { ...options.faults, serverRetried };
  const problem = optionsProblem(options);
  if (problem !== null) broken(`the swarm world of seed ${seed} is not a valid world: ${problem}`);
  return options;
}

/** Seed N's swarm world as a scenario: what `sim run swarm-world` and a swarm trace's reproducer run. */
export function swarmScenario(seed: number): Scenario {
  return {
    name: SWARM_WORLD,
    summary: "A world whose shape (instances, servers, players, modes, faults, timing) is drawn from the seed.",
    provokes: "Whatever the combination of the seed's parameters does: the worlds no scenario was written for.",
    defects: [],
    breaks: [],
    options: drawSwarmWorld(seed),
  };
}
