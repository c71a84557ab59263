import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE } from "../../scenarios/defaults.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { BEHAVIOURS } from "../../sim/players/behaviour.ts";

/** Generated worlds: players of every behaviour, instances, servers, every fault at some rate, and a seed. */
const worlds = fc.record({
  seed: fc.nat(1_000_000),
  strategy: fc.constantFrom("random" as const, "pct" as const, "preempt" as const),
  options: fc
    .record({
      instances: fc.integer({ min: 1, max: 3 }),
      servers: fc.integer({ min: 1, max: 4 }),
      players: fc.array(fc.constantFrom(...BEHAVIOURS), { minLength: 1, maxLength: 8 }),
      joinWindowMs: fc.integer({ min: 0, max: 10_000 }),
      redisFail: fc.constantFrom(0, 0.01, 0.03),
      redisSlow: fc.constantFrom(0, 0.05),
      messageDelay: fc.constantFrom(0, 0.05),
      serverFault: fc.constantFrom(0, 0.1, 0.3),
      crashes: fc.integer({ min: 0, max: 2 }),
      pauses: fc.integer({ min: 0, max: 1 }),
      disconnects: fc.integer({ min: 0, max: 2 }),
      corruptions: fc.integer({ min: 0, max: 2 }),
      maxSkewMs: fc.constantFrom(0, 5_000, 30_000),
      coincidence: fc.constantFrom(0, 0.5, 1),
    })
    .map(
      (drawn): WorldOptions => ({
        ...BASE,
        instances: drawn.instances,
        servers: drawn.servers,
        players: drawn.players,
        joinWindowMs: drawn.joinWindowMs,
        coincidence: drawn.coincidence,
        config: { heartbeatIntervalMs: 5_000, clientTimeoutMs: 10_000 },
        faults: {
          redisFailBefore: drawn.redisFail,
          redisFailAfter: drawn.redisFail,
          redisSlow: drawn.redisSlow,
          messageDelay: drawn.messageDelay,
          serverSlow: drawn.serverFault,
          serverError: drawn.serverFault,
          serverMalformed: drawn.serverFault,
          serverUnreachable: drawn.serverFault,
        },
        events: {
          crashes: drawn.crashes,
          pauses: drawn.pauses,
          disconnects: drawn.disconnects,
          corruptions: drawn.corruptions,
          maxSkewMs: drawn.maxSkewMs,
        },
        activeMs: 30_000,
        maxSteps: 60_000,
      }),
    ),
});

describe("fixed holds every invariant in generated worlds", () => {
  it("no violation, whatever the players, instances, servers, faults and seed", async () => {
    await fc.assert(
      fc.asyncProperty(worlds, async ({ seed, strategy, options }) => {
        const trace = await runOnce({ scenario: "generated", server: "fixed", seed, strategy, options });
        expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
      }),
      { numRuns: 40, seed: 20261126, endOnFailure: false },
    );
  });

  it("the same generator finds the legacy server's defects, so the property has teeth", async () => {
    const failing = await fc.check(
      fc.asyncProperty(worlds, async ({ seed, strategy, options }) => {
        const trace = await runOnce({ scenario: "generated", server: "legacy", seed, strategy, options });
        return trace.verdict !== "fail";
      }),
      { numRuns: 40, seed: 20261126 },
    );
    expect(failing.failed).toBe(true);
    expect(failing.counterexample).not.toBeNull();
  });
});
