import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { HarnessAssertionError } from "../../sim/assert.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { NO_FAULTS_CHOSEN } from "../../sim/scheduler/fault-chooser.ts";
import { PendingSteps } from "../../sim/scheduler/pending-steps.ts";
import type { Step, StepSpec } from "../../sim/scheduler/step.ts";
import { StepDriver } from "../../sim/world/driver.ts";

const timer = (readyAt: number, source = "t"): StepSpec => ({ lane: "instance:i1", source, owner: null, kind: "timer", readyAt });
const fired = () => ({ kind: "timer" as const, owner: "i1", timer: "t" });

describe("the harness asserts its own promises", () => {
  it("time never runs backwards, and no step is made ready in the past", () => {
    const steps = new PendingSteps(1_000);
    steps.now = 2_000;
    expect(() => (steps.now = 1_500)).toThrow(HarnessAssertionError);
    expect(() => steps.add(timer(1_999), fired)).toThrow(/in the past/);
    expect(() => steps.pause("i1", 2_000)).toThrow(/not after now/);
    const step = steps.add(timer(2_000), fired);
    steps.add(timer(2_000), fired);
    expect(() => steps.take({ ...step, id: 99 } as Step)).toThrow(/not the head/);
    expect(steps.now).toBe(2_000);
  });

  it("the chosen step is one of the enabled ones", async () => {
    const steps = new PendingSteps(0);
    steps.add(timer(0, "a"), fired);
    const stranger = { ...timer(0, "b"), id: 77, cause: null, available: null, trigger: null, event: null, run: fired, cancelled: false };
    const driver = new StepDriver(steps, { choose: () => stranger }, NO_FAULTS_CHOSEN, { maxSteps: 10, raceWindowMs: 0 }, { finished: () => {}, halted: () => false });
    await expect(driver.runUntil(100)).rejects.toThrow(/chose step 77, which is not enabled/);
  });

  it("a world's options are checked when it is built, and a broken promise names the run", async () => {
    const options = { ...findScenario("happy-path")!.options, instances: 0 };
    const run = runOnce({ scenario: "happy-path", server: "fixed", seed: 42, strategy: "preempt", options });
    await expect(run).rejects.toThrow(HarnessAssertionError);
    await expect(run).rejects.toThrow(/happy-path on fixed, strategy preempt, seed 42: the world's options are invalid: options.instances must be at least 1/);
  });
});
