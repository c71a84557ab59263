import type { MatchConfig } from "../../src/config/config.ts";
import type { Player } from "../players/player.ts";
import type { KeyspaceSnapshot } from "../redis/index.ts";
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

/** A Redis connection as a fault sees it: whether it has a command about to run, and a way to lose it. */
export interface LossyConnection {
  readonly client: string;
  /** A command of this connection is due now, and no loss is already in store for it. */
  commandReady(): boolean;
  /** The next command this connection runs is lost before Redis applies it, or applied with its reply lost. */
  loseNext(outcome: "lost-before" | "lost-after"): void;
  /**
   * For `durationMs` from now, each command this connection runs is lost with probability `chance`, before Redis
   * applies it or after, even odds: a lossy network path. Says what it did.
   */
  lossyFor(durationMs: number, chance: number): string;
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
  /** A foreign publisher puts a payload that is not the contract on a channel the server listens on; says what. */
  publishGarbage(): string;
  /**
   * Offers a fault as a choice: an option the world may strike at any step of the active phase while
   * `available` holds (see sim/faults/choices.ts for how often).
   */
  offer(spec: FaultSpec, available: () => boolean, effect: () => string): void;
  /** The stream effects of chosen faults draw their parameters from (a pause's length). */
  readonly choiceRng: Rng;
  /**
   * Whether now is a moment to strike `target` at: right after a step of its own lane (an instance slot's,
   * dedicated server's or player's), or at any step where faults are offered everywhere (`sim check`: what may
   * strike must follow from the state alone, not from which of two independent steps happened to run last).
   */
  momentFor(target: string): boolean;
  /** The instance in this slot has a Redis command on its way: a handler of its is between two round trips. */
  midHandler(slot: string): boolean;
  /** Instance slots and dedicated server ids: whose Redis connections faults can cut. */
  readonly connectionTargets: readonly string[];
  /** The Redis connection of a slot's current incarnation (null when it is down) or of a dedicated server. */
  connection(target: string): LossyConnection | null;
  /** The instance's steps are held by a pause now. */
  paused(instance: FaultableInstance): boolean;
  /** Redis restarts empty: every key and script gone, every connection broken (clients reconnect). Says what it lost. */
  restartRedis(): string;
  /** Redis's clock steps by `byMs`, either way: TIME and key expiry follow it from now on. Says what it did. */
  jumpRedisClock(byMs: number): string;
  /** Redis saves every key as it is now (an RDB snapshot), for a later `rollBackRedis`. */
  saveRedis(): KeyspaceSnapshot;
  /**
   * Redis restarts from `snapshot`: every key as it was then (those whose expiry has passed since are gone), every
   * later write lost, every script gone, every connection broken (clients reconnect). Says what it lost.
   */
  rollBackRedis(snapshot: KeyspaceSnapshot): string;
  /** Redis is unreachable for `outageMs`, its data kept: every connection breaks and reconnects. Says what happened. */
  cutRedis(outageMs: number): string;
  /** The dedicated servers' ids. */
  readonly servers: readonly string[];
  /** A dedicated server's process is up. */
  serverUp(id: string): boolean;
  /** A call to this dedicated server (an allocation's create) waits for its answer: sent, and neither answered nor timed out. */
  callWaiting(id: string): boolean;
  /** The step that ran last wrote this dedicated server's record (a claim, a commit, a release). */
  touchedServer(id: string): boolean;
  /** A dedicated server's process dies, or (`revive`) a new one starts in its place. Says what happened. */
  serverProcess(id: string, change: "die" | "revive"): string;
  /** A dedicated server's host is cut off from the network now. */
  serverCutOff(id: string): boolean;
  /**
   * A dedicated server's host is cut off from the network for `durationMs`: calls to it meet silence, its replies
   * are lost, and its Redis connection breaks and comes back when the partition heals. Says what happened.
   */
  cutOffServer(id: string, durationMs: number): string;
  /**
   * Something other than a match server calls this dedicated server's create endpoint (sim/world/foreign-caller.ts);
   * nobody waits for the answer. Says what it sent.
   */
  foreignCall(id: string): string;
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
  /** Schedules this kind's faults for a run (the events the options ask for). */
  plan(world: FaultWorld): void;
  /**
   * Offers this kind's faults as choices at any step (when a run enables the kind: `options.choices`), through
   * `world.offer`. Absent for kinds that are not struck at a step of the world's choosing.
   */
  offer?(world: FaultWorld): void;
  /** Worlds with less of this fault, most drastic first; empty when the options have none of it. */
  smaller(options: WorldOptions): WorldOptions[];
  /** How long this kind can hold an instance's work back, in ms (0 when it cannot): deadlines stretch by it. */
  stallMs(options: WorldOptions): number;
  /** It can take an instance away, so the survivors must be given time to reap what it left. */
  losesInstances(options: WorldOptions): boolean;
}
