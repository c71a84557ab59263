import { FAULT_KINDS } from "../faults/registry.ts";
import type { Checker } from "../oracle/checker.ts";
import type { InvariantName } from "../oracle/invariants.ts";
import type { MatchConfig } from "../../src/config/config.ts";
import type { Behaviour } from "../players/behaviour.ts";
import type { FaultEvents, FaultRates } from "../faults/parameters.ts";

/** Everything that shapes a world. A trace stores it, and shrinking makes it smaller. */
export interface WorldOptions {
  instances: number;
  servers: number;
  /** One entry per player; game modes are assigned round-robin over the config's modes, by roster position. */
  players: Behaviour[];
  /**
   * Each player's position in the roster (absent: 0, 1, 2...), ascending. A shrunk world keeps its players'
   * positions, so each keeps the id, game mode, join time and random streams it had in the world it came from.
   */
  playerPositions?: number[];
  /** Players join at a time drawn in [0, joinWindowMs]. */
  joinWindowMs: number;
  /**
   * Client actions (joins, loads, quits) happen on multiples of this: coarse human timing makes actions of
   * different players coincide, and coincident steps are where the scheduler's choices find races.
   */
  timeGridMs: number;
  /**
   * Probability that a player's action is moved onto the due time of another player's pending action or a
   * server timer within a second of when it was drawn (absent: 0). Coarse timing makes coincidences common;
   * this makes the ones races need (a quit at the match tick, two readies at once) common too.
   */
  coincidence?: number;
  /**
   * Steps due within this many milliseconds of the earliest are all candidates for the strategy: real latency
   * jitters, so which of two nearly simultaneous messages lands first is the scheduler's to choose.
   */
  raceWindowMs: number;
  config: Partial<MatchConfig>;
  /**
   * How long a game lasts, drawn per dedicated server in [min, max] ms: when it is over the server releases
   * itself, as the real one does with `--game-ms`. Absent: games never end, and a server hosts one game for good.
   */
  gameMs?: { min: number; max: number };
  /**
   * How often each dedicated server renews its registration, which lapses after three of these unrenewed
   * (absent: 15 s). The real server's default is 5 s: a shorter registration leaves a dead server listed for
   * less time, so more of that time falls inside some allocation's call to it.
   */
  serverHeartbeatMs?: number;
  faults: FaultRates;
  events: FaultEvents;
  /**
   * Faults as choices: per fault kind (`crash`, `pause`, `network-drop`, `lost-command`, `lost-reply`, `server-death`...), the
   * probability that a run enables it; an enabled kind is offered at every step where it can strike
   * (sim/faults/choices.ts). Absent or 0: never.
   */
  choices?: Partial<Record<string, number>>;
  /**
   * How faults by choice are offered: `armed` (the default, BUGGIFY: each kind enabled with its probability,
   * striking once or twice from drawn times), or `everywhere`: every kind `choices` gives a probability above 0 is
   * offered at every point where it can strike, from the start of the run and again after each strike, and the
   * run's explorer decides which strike (`sim check`, which explores them as branches).
   */
  faultOffers?: "armed" | "everywhere";
  /**
   * Longest active phase (behaviours and faults); fault events are drawn within it. The phase ends earlier once
   * nothing only it brings is left: every fault event struck, no client action planned, no instance paused, no
   * fault rate, and a quiet world.
   */
  activeMs: number;
  /**
   * Least time the settle phase runs (at least instanceTtlMs plus two presence rounds when the run crashes or
   * pauses an instance); it goes on until the world is quiet or maxSettleMs.
   */
  settleMs: number;
  maxSettleMs: number;
  /** A run that takes more steps than this stops without a verdict. */
  maxSteps: number;
  /** PCT's bug depth d, and the horizon (in contended steps: steps with a choice) its change points are drawn in. */
  pctDepth: number;
  pctHorizon: number;
}

/**
 * The world `sim check` explores every schedule of: two or three players, one or two instances and servers,
 * and any other options that keep it small enough to exhaust (a shorter active phase, fewer timers).
 */
export interface CheckSize {
  players: Behaviour[];
  instances: number;
  servers: number;
  options?: Partial<Omit<WorldOptions, "players" | "instances" | "servers">>;
}

export interface Scenario {
  name: string;
  /** One sentence: what it sets up. */
  summary: string;
  /** What race or fault it provokes, and which seed defect it targets. */
  provokes: string;
  defects: number[];
  /** The invariants the targeted defects break: what a legacy failure of this scenario must name. */
  breaks: InvariantName[];
  options: WorldOptions;
  /** Invariants of the scenario's own, judged after the built-in ones (scenario files may bring them). */
  checkers?: readonly Checker[];
  /** The world `sim check` explores (without one, the scenario's own, which is seldom small enough). */
  check?: CheckSize;
}

/**
 * A scenario's options with every kind of fault by choice enabled at one probability (`--fault-choices`, 0 turns
 * them off), or as they are when none is given.
 */
export function withChoices(options: WorldOptions, probability: number | undefined): WorldOptions {
  if (probability === undefined) return options;
  const offered = FAULT_KINDS.filter((kind) => kind.offer !== undefined).map((kind) => kind.name);
  return { ...options, choices: Object.fromEntries(offered.map((kind) => [kind, probability])) };
}

/** A scenario's options with its `coincidence` overridden (`--coincidence`), or as they are when none is given. */
export function withCoincidence(options: WorldOptions, coincidence: number | undefined): WorldOptions {
  return coincidence === undefined ? options : { ...options, coincidence };
}
