import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { NonDeterminismError } from "../../sim/scheduler/strategy.ts";

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
