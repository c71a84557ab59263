import type { Variant } from "../../src/server/match-server.ts";
import type { Violation } from "../oracle/invariants.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { StrategyName } from "../scheduler/strategy.ts";
import type { StepEvent } from "./events.ts";

/** One executed step as the trace keeps it. `t` is virtual ms since the run began; `event` says what it did. */
export interface TraceStep {
  i: number;
  id: number;
  /** The id of the step whose code made this one (see Step.cause), null for the world's own. */
  cause: number | null;
  t: number;
  lane: string;
  event: StepEvent;
}

/** The trace format: a trace of another format is refused with a one-line error. */
export const TRACE_FORMAT = "match-race-sim/trace@2";

/** The code a trace was recorded with: a hash of the harness's and server's sources, and the git commit. */
export interface CodeRevision {
  /** SHA-256 (first 16 hex digits) over src/, sim/, scenarios/ and every Lua script. */
  code: string;
  /** `git rev-parse HEAD` where the sources are a git checkout, with `+dirty` when they differ from it. */
  git: string | null;
}

/** Everything needed to re-execute a run and to read it. */
export interface Trace {
  format: typeof TRACE_FORMAT;
  scenario: string;
  /** The scenario module's path, for a scenario loaded from a file (its checkers are read from there again). */
  scenarioFile?: string;
  server: Variant;
  seed: number;
  strategy: StrategyName;
  options: WorldOptions;
  /** The run stopped at its first violation instead of going on to its end (`--stop-at-first`). */
  stopAtFirst: boolean;
  /** The id of every step run, in order, options that struck included: what a replay follows. */
  decisions: number[];
  verdict: "pass" | "fail" | "incomplete";
  violations: Violation[];
  steps: TraceStep[];
  revision: CodeRevision;
  /** Hits per probe of the run (each variant's probes.ts): what it reached. Not part of the hash. */
  coverage: Record<string, number>;
  hash: string;
}

/** What the hash covers: the run itself, not where it was recorded (its revision) or where its scenario lives. */
export type TraceBody = Omit<Trace, "hash">;
