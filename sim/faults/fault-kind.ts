import type { MatchConfig } from "../../src/config/config.ts";
import type { Player } from "../players/player.ts";
import type { Rng } from "../random/rng.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { FaultEvent } from "../trace/events.ts";

/** What a fault strikes, as its step names it: the label is derived from these (see trace/describe.ts). */
export type FaultSpec = Pick<FaultEvent, "fault" | "target" | "note">;

/** An instance as faults see it. */
export interface FaultableInstance {
  readonly slot: string;
  readonly id: string;
  readonly alive: boolean;
}

/** What the world offers a fault kind to plan and strike with. */
export interface FaultWorld {
  readonly options: WorldOptions;
  readonly config: MatchConfig;
  /** The run's fault stream: plans and effects draw from it, in step order. */
  readonly rng: Rng;
  /** The instance slots (`i1`, `i2`...). */
  readonly slots: readonly string[];
  readonly players: readonly Player[];
  /** Virtual time, ms since the run began. */
  now(): number;
  /** A delay from now into the active phase, drawn from `rng`: when a planned fault strikes. */
  activeTime(): number;
  /** Makes `effect` a fault step `delayMs` from now; what it returns is the step's effect. */
  schedule(delayMs: number, spec: FaultSpec, effect: () => string): void;
  /** The current incarnation in a slot. */
  instance(slot: string): FaultableInstance | undefined;
  /** The instance dies: its steps vanish, its sockets reset, a supervisor restarts it later. */
  crash(instance: FaultableInstance, why: string): void;
  /** The instance's steps wait until `durationMs` from now: a stop-the-world pause. */
  pause(instance: FaultableInstance, durationMs: number): void;
  /** A foreign writer puts garbage where the server reads, in the variant's layout; says what it wrote. */
  foreignWrite(): string;
  /** The instance's subscriptions drop with their connection and come back `gapMs` later; messages meanwhile are lost. */
  loseSubscriptions(instance: FaultableInstance, gapMs: number): void;
}

/**
 * One kind of fault: a module under `sim/faults/kinds/` exporting this as its default. The world plans every
 * kind in rank order (their draws from the fault stream come in that order), and the shrinker asks each for
 * smaller worlds without it.
 */
export interface FaultKind {
  name: string;
  /** What it does, in one clause (`sim list` and reports print it). */
  summary: string;
  rank: number;
  /** Schedules this kind's faults for a run. */
  plan(world: FaultWorld): void;
  /** Worlds with less of this fault, most drastic first; empty when the options have none of it. */
  smaller(options: WorldOptions): WorldOptions[];
  /** How long this kind can hold an instance's work back, in ms (0 when it cannot): deadlines stretch by it. */
  stallMs(options: WorldOptions): number;
  /** It can take an instance away, so the survivors must be given time to reap what it left. */
  losesInstances(options: WorldOptions): boolean;
}
