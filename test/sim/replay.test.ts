import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { NonDeterminismError } from "../../sim/scheduler/strategy.ts";
import { replayTrace } from "../../sim/cli/commands/replay.ts";

describe("replaying a decision list", () => {
  it("re-executes a run step for step, with the same hash", async () => {
    const scenario = findScenario("malformed-input")!;
    const original = await runOnce({ scenario: scenario.name, server: "legacy", seed: 0, strategy: "random", options: scenario.options });
    const replayed = await runOnce({ scenario: scenario.name, server: "legacy", seed: 0, strategy: "random", options: scenario.options, decisions: original.decisions });
    expect(replayed.hash).toBe(original.hash);
  });

  it("refuses a decision list that does not fit the run", async () => {
    const scenario = findScenario("happy-path")!;
    const spec = { scenario: scenario.name, server: "fixed" as const, seed: 0, strategy: "random" as const, options: scenario.options };
    await expect(runOnce({ ...spec, decisions: [999_999] })).rejects.toBeInstanceOf(NonDeterminismError);
  });
});

describe("replaying a trace recorded under another oracle", () => {
  it("says the steps are the same and the judgement is new, rather than pointing at a step", async () => {
    const scenario = findScenario("happy-path")!;
    const trace = await runOnce({ scenario: scenario.name, server: "fixed", seed: 1, strategy: "preempt", options: scenario.options });
    expect(trace.violations).toEqual([]);
    // As an older oracle would have recorded it: a violation this code does not see, and another hash.
    const older = { ...trace, hash: "0".repeat(64), violations: [{ invariant: "no-double-match", kind: "told of two games", message: "m", step: 3, at: 0, players: [], keys: [] }] };
    const { identical, sameSteps, divergence } = await replayTrace(older);
    expect([identical, sameSteps]).toEqual([false, true]);
    expect(divergence).toBe("every step the same; judged anew: recorded no-double-match, now no violation");
    // A step that differs is named as before.
    const changed = { ...trace, hash: "0".repeat(64), steps: trace.steps.slice(0, -1) };
    const cut = await replayTrace(changed);
    expect([cut.sameSteps, cut.divergence]).toEqual([false, expect.stringMatching(/^first difference at step \d+: recorded nothing, now "/)]);
  });
});
