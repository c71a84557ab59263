import type { StepEvent, StepKind } from "../trace/events.ts";

export type { StepKind };

export interface StepSpec {
  /** Timeline lane: `instance:i1`, `player:p3`, `ds:d1`, `redis`, `world`. */
  lane: string;
  /**
   * FIFO channel the step belongs to (one Redis connection, one socket direction, one timer). Only the oldest
   * pending step of a source is enabled, so the scheduler never reorders what a real channel keeps in order.
   */
  source: string;
  /** Instance whose crash makes this step vanish; null when it outlives every instance. */
  owner: string | null;
  kind: StepKind;
  readyAt: number;
}

/** What a step does when it runs; what it returns says what it did, for the trace. */
export type StepRun = () => StepEvent;

export interface Step extends StepSpec {
  run: StepRun;
  /** Creation order: stable across replays of the same decisions. */
  readonly id: number;
  /** The step whose code made this one (a command's handler step, a reply's command), null for the world's own. */
  readonly cause: number | null;
  /**
   * For an option (a fault the world may choose to strike at any step): whether it can strike now. Null for an
   * ordinary step, which runs once its channel reaches it.
   */
  readonly available: (() => boolean) | null;
  /** The step that started the chain this one continues (a frame, a close, a timer...), null for the world's own. */
  readonly trigger: Step | null;
  /** What the step did, once it ran. */
  event: StepEvent | null;
  cancelled: boolean;
}
