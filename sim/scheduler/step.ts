export type StepKind =
  | "redis"
  | "deliver"
  | "frame-in"
  | "frame-out"
  | "connect"
  | "close"
  | "http-request"
  | "http-reply"
  | "timer"
  | "client"
  | "fault";

/** What a step did, for the trace: a Redis command and its reply, a frame's text, a fault's effect. */
export type StepDetail = string;

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
  label: string;
  readyAt: number;
}

/** What a step does when it runs; what it returns is its trace detail. */
export type StepRun = () => StepDetail | void;

export interface Step extends StepSpec {
  run: StepRun;
  /** Creation order: stable across replays of the same decisions. */
  readonly id: number;
  cancelled: boolean;
}
