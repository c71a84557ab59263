import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runOnce } from "../../sim/run/run-once.ts";
import { drawSwarmWorld, SWARM_WORLD } from "../../sim/scenario/swarm-world.ts";

/**
 * Generated worlds: the swarm generator `sim fuzz --swarm` draws from (players of every behaviour, instances,
 * servers, game modes, every fault at some rate, timing), on a seed of fast-check's choosing, with a strategy.
 */
const worlds = fc.record({
  seed: fc.nat(1_000_000),
  strategy: fc.constantFrom("random" as const, "pct" as const, "preempt" as const),
});

describe("fixed holds every invariant in generated worlds", () => {
  it("no violation, whatever the players, instances, servers, faults and seed", async () => {
    await fc.assert(
      fc.asyncProperty(worlds, async ({ seed, strategy }) => {
        const trace = await runOnce({ scenario: SWARM_WORLD, server: "fixed", seed, strategy, options: drawSwarmWorld(seed) });
        expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
      }),
      { numRuns: 40, seed: 20261126, endOnFailure: false },
    );
  });

  it("the same generator finds the legacy server's defects, so the property has teeth", async () => {
    const failing = await fc.check(
      fc.asyncProperty(worlds, async ({ seed, strategy }) => {
        const trace = await runOnce({ scenario: SWARM_WORLD, server: "legacy", seed, strategy, options: drawSwarmWorld(seed) });
        return trace.verdict !== "fail";
      }),
      { numRuns: 40, seed: 20261126 },
    );
    expect(failing.failed).toBe(true);
    expect(failing.counterexample).not.toBeNull();
  });
});
