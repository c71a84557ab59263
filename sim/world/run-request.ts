import type { Variant } from "../../src/server/match-server.ts";
import type { HitSteps } from "../coverage/probe-counter.ts";
import type { Checker } from "../oracle/checker.ts";
import type { Violation } from "../oracle/invariants.ts";
import type { SimulatedRedis } from "../redis/index.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { FaultChooser } from "../scheduler/fault-chooser.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { Step } from "../scheduler/step.ts";
import type { Strategy, StrategyName } from "../scheduler/strategy.ts";
import type { Player } from "../players/player.ts";
import type { ReadOnlyRedis } from "../oracle/checker.ts";
import type { ServerView } from "../oracle/server-view.ts";
import type { Rng } from "../random/rng.ts";
import type { TraceStep } from "../trace/trace.ts";
import type { StepProfile } from "./driver.ts";
import type { CommandListener } from "./instrumented-redis.ts";

/** What one run is asked to be: its world, its strategy or decisions, and what to observe on the way. */
export interface RunRequest {
  scenario: string;
  variant: Variant;
  seed: number;
  strategy: StrategyName;
  options: WorldOptions;
  /** A decision list to follow instead of the strategy (replay, shrinking); `strategy` is still recorded. */
  decisions?: readonly number[];
  /** Follow `decisions` leniently, the strategy taking over on a stream salted with this (guided mutations). */
  lenient?: string;
  /**
   * A strategy to choose with instead of the named one or the decisions: shrinking tries a candidate world
   * under other schedules. `strategy` is still recorded; the trace's decisions say what it chose.
   */
  chooser?: Strategy;
  /** Told of every command a client of the simulated Redis executes: the conformance suite replays them. */
  onCommand?: CommandListener;
  /** Straight through: the oldest step first, no invariant checks, no trace (the benchmark's baseline). */
  bare?: boolean;
  /** When given, time spent per part of a step is added to it (the benchmark's breakdown). */
  profile?: StepProfile;
  /** Called after every step, with read access to the simulated Redis (reports record its history). */
  observe?: (step: number, redis: SimulatedRedis, touched: boolean) => void;
  /** Filled with the steps each probe was first hit at (guided fuzzing aims faults there). */
  hitSteps?: HitSteps;
  /** How the simulated Redis runs scripts (default compiled); a run is the same either way. */
  lua?: "compiled" | "interpreted";
  /**
   * Stop at the first violation (the run's verdict is the same; the end checks are skipped). By default a run
   * goes on to its end and records every violation, each once, at its first step.
   */
  stopAtFirst?: boolean;
  /** Invariants of the scenario's own, judged after the built-in ones. */
  checkers?: readonly Checker[];
  /** `sim check`'s explorer chooses every step and fault instead of the strategy (the request's is recorded). */
  explorer?: RunExplorer;
}

/** What `sim check` hands a run: its own choices, and a look at what each step touched beyond its event. */
export interface RunExplorer {
  readonly strategy: Strategy;
  readonly faults: FaultChooser;
  /** Told once the world is built, before its first step. */
  attach(world: ExploredWorld): void;
  /** Told after every step, once the oracle has judged it. */
  stepped(step: Step): void;
}

/** The parts of a world an explorer watches. */
export interface ExploredWorld {
  readonly steps: PendingSteps;
  /** Random streams more than one actor draws from, by name: a draw is a write to the stream. */
  readonly sharedStreams: ReadonlyMap<string, Rng>;
  /** The server's state as the oracle reads it now. */
  view(): ServerView;
  readonly players: readonly Player[];
  readonly redis: ReadOnlyRedis;
}

export interface RunResult {
  verdict: "pass" | "fail" | "incomplete";
  violations: Violation[];
  steps: TraceStep[];
  decisions: number[];
  /** Virtual time the run covered, ms. */
  virtualMs: number;
  /** Why an incomplete run stopped. */
  note: string | null;
  /** Hits per probe (each variant's probes.ts). */
  coverage: Record<string, number>;
}

