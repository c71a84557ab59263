import { broken } from "../assert.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { Step } from "../scheduler/step.ts";
import type { FaultChooser } from "../scheduler/fault-chooser.ts";
import type { Strategy } from "../scheduler/strategy.ts";
import type { StepEvent } from "../trace/events.ts";
import { afterMicrotasks } from "./quiescence.ts";

/** Milliseconds spent choosing steps, in server code, in the simulated Redis, and in invariant checks. */
export interface StepProfile {
  scheduler: number;
  server: number;
  redis: number;
  checks: number;
  steps: number;
}

export function emptyProfile(): StepProfile {
  return { scheduler: 0, server: 0, redis: 0, checks: 0, steps: 0 };
}

export interface DriverHooks {
  /** A step's code has quiesced: record it and judge the world it left. */
  finished(step: Step, event: StepEvent, index: number): void;
  /** Whether to stop choosing steps at once (a violation was found). */
  halted(): boolean;
}

export interface DriverLimits {
  /** A run that takes more steps than this stops without a verdict. */
  maxSteps: number;
  /** Steps due within this many ms of now are all candidates. */
  raceWindowMs: number;
}

const acceptAll = (): boolean => true;
const never = (): boolean => false;

/**
 * Runs steps one at a time: asks the strategy for the next among the enabled ones, runs it, waits until the code
 * it resumed has quiesced, reports it, and moves virtual time when nothing is enabled. Knows nothing of what
 * the steps are.
 */
export class StepDriver {
  /** Steps run so far; the next step's index. */
  index = 0;
  /** The id of every step run, in order: what a replay follows. */
  readonly decisions: number[] = [];

  constructor(
    private readonly steps: PendingSteps,
    private readonly strategy: Strategy,
    private readonly faults: FaultChooser,
    private readonly limits: DriverLimits,
    private readonly hooks: DriverHooks,
    private readonly profile?: StepProfile,
  ) {}

  /**
   * The next step to run, or whether the phase ended (true) or ran out of step budget (false). Moves virtual
   * time when nothing is enabled now.
   */
  private nextStep(until: number, done: () => boolean, accept: (step: Step) => boolean, over: () => boolean): Step | boolean {
    const { maxSteps, raceWindowMs } = this.limits;
    for (;;) {
      if (this.index >= maxSteps) return false;
      if (this.hooks.halted()) return true;
      const ready = this.steps.enabled(raceWindowMs);
      const enabled = accept === acceptAll ? ready : ready.filter(accept);
      if (enabled.length === 0) {
        if (over()) return true;
        const next = this.steps.nextReadyTime(accept);
        if (next === null || next > until) {
          this.steps.now = Math.max(this.steps.now, Math.min(until, next ?? until));
          return true;
        }
        this.steps.now = next;
        if (done()) return true;
        continue;
      }
      if (accept === acceptAll) {
        const options = this.steps.availableOptions();
        const fault = options.length > 0 ? this.faults.chooseFault(options, this.index, enabled) : null;
        if (fault !== null) {
          if (!options.includes(fault)) broken(`the fault chooser chose step ${fault.id}, which is not on offer`);
          return fault;
        }
      }
      const chosen = this.strategy.choose(enabled, this.index);
      if (!enabled.includes(chosen)) broken(`the strategy chose step ${chosen.id}, which is not enabled`);
      return chosen;
    }
  }

  /**
   * Runs until `until` (virtual, absolute), or until `over()` holds when nothing is left to run at this instant,
   * or until `done()` holds once time moved to the next pending step; false when the step budget ran out.
   * `accept` limits which steps may run. Driven by callbacks rather than an await per step, which would cost two
   * promises a step.
   */
  runUntil(until: number, done: () => boolean = never, accept: (step: Step) => boolean = acceptAll, over: () => boolean = never): Promise<boolean> {
    const profile = this.profile;
    return new Promise((resolve, reject) => {
      let running: Step | null = null;
      let event: StepEvent | null = null;
      let started = 0;
      let redisBefore = 0;
      const proceed = (): void => {
        try {
          if (running !== null && event !== null) {
            const ran = profile ? performance.now() : 0;
            this.hooks.finished(running, event, this.index);
            this.index++;
            running = null;
            if (profile) {
              profile.server += ran - started - (profile.redis - redisBefore);
              profile.checks += performance.now() - ran;
              profile.steps++;
            }
          }
          const choosing = profile ? performance.now() : 0;
          const chosen = this.nextStep(until, done, accept, over);
          if (typeof chosen === "boolean") {
            this.steps.idle();
            resolve(chosen);
            return;
          }
          if (profile) {
            started = performance.now();
            profile.scheduler += started - choosing;
            redisBefore = profile.redis;
          }
          running = chosen;
          this.steps.take(chosen);
          this.steps.advanceTo(chosen);
          this.decisions.push(chosen.id);
          event = chosen.run();
          chosen.event = event;
          afterMicrotasks(proceed);
        } catch (error) {
          reject(error);
        }
      };
      proceed();
    });
  }
}
