import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { FAULT_KINDS } from "../../sim/faults/registry.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import type { FaultEvent } from "../../sim/trace/events.ts";
import type { Trace, TraceStep } from "../../sim/trace/trace.ts";
import { EPOCH } from "../../sim/world/context.ts";

const base = findScenario("complete-vs-stale")!.options;
/** complete-vs-stale's world (loads that finish close to the deadline) with two steps of Redis's clock. */
const options: WorldOptions = { ...base, choices: {}, events: { ...base.events, redisClockJumps: 2 } };
const run = (seed: number, world: WorldOptions = options, observe?: (step: number, redis: { execute(command: string, args: string[]): unknown }) => void) =>
  runOnce({ scenario: "redis-clock-jump", server: "fixed", seed, strategy: "preempt", options: world, observe });

const jumps = (trace: Trace): (TraceStep & { event: FaultEvent })[] =>
  trace.steps.filter((step): step is TraceStep & { event: FaultEvent } => step.event.kind === "fault" && step.event.fault === "redis-clock-jump");

describe("a step of Redis's clock", () => {
  it("moves Redis's TIME by its size from its step on, the earlier steps' included", async () => {
    for (let seed = 0; seed < 3; seed++) {
      const offsets: number[] = [];
      const trace = await run(seed, options, (step, redis) => {
        const [seconds, micros] = redis.execute("TIME", []) as [string, string];
        offsets[step] = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000) - EPOCH;
      });
      const struck = jumps(trace);
      expect(struck, `seed ${seed}`).toHaveLength(2);
      let offset = 0;
      for (const step of trace.steps) {
        const jump = struck.find((each) => each.i === step.i);
        if (jump) offset += Number(jump.event.note.replace(" ms", ""));
        expect(offsets[step.i]! - step.t, `seed ${seed} step ${step.i}`).toBe(offset);
      }
      for (const jump of struck) expect(Math.abs(Number(jump.event.note.replace(" ms", "")))).toBeGreaterThanOrEqual(100);
    }
  });

  it("leaves the fixed server's invariants whole: its deadlines move with the clock they are kept in", async () => {
    for (let seed = 0; seed < 8; seed++) {
      const trace = await run(seed);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
  });

  it("is an event shrinking removes, holds deadlines back by its largest step back, and leaves worlds without it as they were", async () => {
    const kind = FAULT_KINDS.find((each) => each.name === "redis-clock-jump")!;
    expect(kind.smaller(options).map((world) => world.events.redisClockJumps)).toEqual([0, 1]);
    expect(kind.stallMs(options)).toBeGreaterThan(0);
    expect(kind.stallMs({ ...options, events: { ...options.events, redisClockJumps: 0 } })).toBe(0);
    const { redisClockJumps: _, ...older } = options.events;
    const without = await run(1, { ...options, events: older });
    const zero = await run(1, { ...options, events: { ...older, redisClockJumps: 0 } });
    expect(JSON.stringify(zero.steps)).toBe(JSON.stringify(without.steps));
  });
});
