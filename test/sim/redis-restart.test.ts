import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { MAX_RETRIES_ERROR } from "../../src/adapters/redis-retry.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { RedisEvent } from "../../sim/trace/events.ts";
import type { Trace, TraceStep } from "../../sim/trace/trace.ts";

const scenario = findScenario("redis-restart")!;
const run = (server: "legacy" | "fixed", seed: number, events: Partial<typeof scenario.options.events>) =>
  runOnce({ scenario: scenario.name, server, seed, strategy: "preempt", options: { ...scenario.options, choices: {}, events: { ...scenario.options.events, ...events } } });
const faultAt = (trace: Trace, fault: string): TraceStep | undefined => trace.steps.find((step) => step.event.kind === "fault" && step.event.fault === fault);
const redisAfter = (trace: Trace, from: number): Array<TraceStep & { event: RedisEvent }> =>
  trace.steps.filter((step): step is TraceStep & { event: RedisEvent } => step.i > from && step.event.kind === "redis");

describe("a Redis restart in the simulation", () => {
  it("empties Redis and its script cache: the fixed server's clients meet NOSCRIPT, load the scripts again, subscribe again, and every willing player is matched", async () => {
    for (let seed = 0; seed < 4; seed++) {
      const trace = await run("fixed", seed, { serverDeaths: 0, redisOutages: 0 });
      const restart = faultAt(trace, "redis-restart");
      expect(restart, `seed ${seed}`).toBeDefined();
      const after = redisAfter(trace, restart!.i);
      expect(after.some((step) => step.event.command === "EVALSHA" && step.event.error?.startsWith("NOSCRIPT"))).toBe(true);
      expect(after.some((step) => step.event.command === "EVAL" && step.event.outcome === "ok")).toBe(true);
      expect(after.filter((step) => step.event.command === "SUBSCRIBE").map((step) => step.event.client).sort()).toEqual(
        trace.steps.filter((step) => step.i < restart!.i && step.event.kind === "redis" && step.event.command === "SUBSCRIBE").map((step) => (step.event as RedisEvent).client).sort(),
      );
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
  });

  it("keeps Redis's data through an outage: commands sent meanwhile wait, or fail as ioredis's offline queue fails them, and the fixed server rides it out", async () => {
    let failed = 0;
    for (let seed = 0; seed < 8; seed++) {
      const trace = await run("fixed", seed, { serverDeaths: 0, redisRestarts: 0 });
      const outage = faultAt(trace, "redis-outage");
      expect(outage, `seed ${seed}`).toBeDefined();
      const after = redisAfter(trace, outage!.i);
      // The data stayed: no script that ran before the outage had to be loaded again.
      const loaded = new Set(trace.steps.filter((step) => step.i < outage!.i && step.event.kind === "redis" && step.event.outcome === "ok").map((step) => (step.event as RedisEvent).script));
      expect(after.some((step) => step.event.error?.startsWith("NOSCRIPT") === true && loaded.has(step.event.script))).toBe(false);
      failed += after.filter((step) => step.event.error === MAX_RETRIES_ERROR).length;
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
    expect(failed).toBeGreaterThan(0);
  });

  it("finds legacy's dedicated servers registered once: after the restart no server is listed, and willing players wait beside free ones", async () => {
    let waited = 0;
    for (let seed = 0; seed < 10; seed++) {
      const trace = await run("legacy", seed, { serverDeaths: 0 });
      expect(trace.verdict).toBe("fail");
      if (trace.violations.some((violation) => violation.invariant === "eventual-match" && /up and free/.test(violation.message))) waited++;
    }
    expect(waited).toBeGreaterThan(0);
  });
});

describe("a dedicated server that dies", () => {
  it("is not claimed for ever on the fixed server: its registration lapses and it is reaped, and players are matched elsewhere", async () => {
    for (let seed = 0; seed < 4; seed++) {
      const trace = await run("fixed", seed, { redisRestarts: 0 });
      const death = faultAt(trace, "server-death");
      expect(death, `seed ${seed}`).toBeDefined();
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
  });
});
