import { describe, expect, it } from "vitest";
import { HIT_STEPS_KEPT, ProbeCounter, type HitSteps } from "../../sim/coverage/probe-counter.ts";
import { runJob } from "../../sim/fuzz/run-job.ts";

describe("where a run's probes were hit", () => {
  it("notes the step of each probe's first hits, no more than are kept, and nothing unless asked", () => {
    const steps: HitSteps = new Map();
    let at = 0;
    const counter = new ProbeCounter({ steps, stepIndex: () => at });
    for (at = 0; at < 10; at++) counter.hit("often");
    at = 7;
    counter.hit("once");
    expect(steps.get("often")).toEqual(Array.from({ length: HIT_STEPS_KEPT }, (_, i) => i));
    expect(steps.get("once")).toEqual([7]);
    expect(counter.counts.get("often")).toBe(10);
    const unasked = new ProbeCounter();
    unasked.hit("often");
    expect(unasked.record()).toEqual({ often: 1 });
  });

  it("are recorded for a guided job: every probe the run hit, at steps the run took", async () => {
    const outcome = await runJob({ scenario: "cancel-vs-complete", seed: 4, server: "fixed", strategy: "preempt", record: true });
    const recording = outcome.recording!;
    expect(Object.keys(recording.hitSteps).sort()).toEqual(Object.keys(outcome.coverage).sort());
    const all = Object.values(recording.hitSteps).flat();
    expect(all.length).toBeGreaterThan(0);
    // A probe hit once the last step has run (the world's end) counts at the step that would come next.
    expect(all.every((step) => Number.isInteger(step) && step >= 0 && step <= recording.decisions.length)).toBe(true);
    // Steps in the run's order, and not all at its start: probes are hit as the run goes.
    for (const kept of Object.values(recording.hitSteps)) expect([...kept].sort((a, b) => a - b)).toEqual(kept);
    expect(new Set(all).size).toBeGreaterThan(5);
    const unrecorded = await runJob({ scenario: "cancel-vs-complete", seed: 4, server: "fixed", strategy: "preempt" });
    expect(unrecorded.recording).toBeNull();
    expect(unrecorded.coverage).toEqual(outcome.coverage);
  });
});
