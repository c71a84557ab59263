import { describe, expect, it } from "vitest";
import { Rng } from "../../sim/random/rng.ts";
import type { Step } from "../../sim/scheduler/step.ts";
import { createStrategy } from "../../sim/scheduler/strategy.ts";

const step = (id: number, source: string): Step =>
  ({ id, source, lane: "world", owner: null, kind: "timer", label: `s${id}`, readyAt: 0, run: () => undefined, cancelled: false }) as Step;

describe("preempt", () => {
  it("never runs the source that ran last while another has a step enabled", () => {
    const strategy = createStrategy("preempt", new Rng("preempt"), { depth: 3, horizon: 30 });
    let last: string | null = null;
    let switches = 0;
    for (let i = 0; i < 500; i++) {
      const enabled = [step(3 * i, "a"), step(3 * i + 1, "b"), step(3 * i + 2, "c")].slice(0, 2 + (i % 2));
      const chosen = strategy.choose(enabled, i);
      expect(enabled).toContain(chosen);
      if (last !== null) expect(chosen.source).not.toBe(last);
      if (last !== null && chosen.source !== last) switches++;
      last = chosen.source;
    }
    expect(switches).toBe(499);
  });

  it("runs the only enabled step, even from the same source, and is uniform among the others", () => {
    const strategy = createStrategy("preempt", new Rng("uniform"), { depth: 3, horizon: 30 });
    expect(strategy.choose([step(1, "a")], 0).source).toBe("a");
    expect(strategy.choose([step(2, "a")], 1).source).toBe("a");
    const counts = { b: 0, c: 0 };
    for (let i = 0; i < 2_000; i++) {
      const chosen = strategy.choose([step(10 + 3 * i, "a"), step(11 + 3 * i, "b"), step(12 + 3 * i, "c")], i + 2);
      if (chosen.source !== "a") counts[chosen.source as "b" | "c"]++;
      strategy.choose([step(100_000 + i, "a")], i + 2);
    }
    expect(counts.b + counts.c).toBe(2_000);
    expect(Math.abs(counts.b - counts.c)).toBeLessThan(200);
  });

  it("the same seed makes the same choices", () => {
    const picks = (seed: string) => {
      const strategy = createStrategy("preempt", new Rng(seed), { depth: 3, horizon: 30 });
      return Array.from({ length: 50 }, (_, i) => strategy.choose([step(2 * i, "x"), step(2 * i + 1, "y"), step(1_000 + i, "z")], i).id);
    };
    expect(picks("s1")).toEqual(picks("s1"));
    expect(picks("s1")).not.toEqual(picks("s2"));
  });
});
