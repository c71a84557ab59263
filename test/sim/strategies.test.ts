import { describe, expect, it } from "vitest";
import { Rng } from "../../sim/random/rng.ts";
import type { Step } from "../../sim/scheduler/step.ts";
import { createStrategy } from "../../sim/scheduler/strategies/index.ts";

const step = (id: number, lane: string, source = `${lane}:redis`): Step => ({
  id,
  source,
  lane,
  owner: null,
  kind: "timer",
  readyAt: 0,
  run: () => ({ kind: "timer", owner: lane, timer: `s${id}` }),
  cause: null,
  available: null,
  trigger: null,
  event: null,
  cancelled: false,
});

describe("preempt", () => {
  it("never runs the lane that ran last while another has a step enabled", () => {
    const strategy = createStrategy("preempt", new Rng("preempt"), { depth: 3, horizon: 30 });
    let last: string | null = null;
    let switches = 0;
    for (let i = 0; i < 500; i++) {
      const enabled = [step(3 * i, "a"), step(3 * i + 1, "b"), step(3 * i + 2, "c")].slice(0, 2 + (i % 2));
      const chosen = strategy.choose(enabled, i);
      expect(enabled).toContain(chosen);
      if (last !== null) expect(chosen.lane).not.toBe(last);
      if (last !== null && chosen.lane !== last) switches++;
      last = chosen.lane;
    }
    expect(switches).toBe(499);
  });

  it("counts an instance's channels as one lane: after one of them, another lane goes next", () => {
    const strategy = createStrategy("preempt", new Rng("lanes"), { depth: 3, horizon: 30 });
    for (let i = 0; i < 200; i++) {
      const first = strategy.choose([step(4 * i, "i1", "i1:redis")], 2 * i);
      expect(first.lane).toBe("i1");
      const next = strategy.choose([step(4 * i + 1, "i1", "i1:timer"), step(4 * i + 2, "i1", "i1:socket"), step(4 * i + 3, "i2")], 2 * i + 1);
      expect(next.lane).toBe("i2");
    }
  });

  it("runs the only enabled step, even from the same lane, and is uniform among the others", () => {
    const strategy = createStrategy("preempt", new Rng("uniform"), { depth: 3, horizon: 30 });
    expect(strategy.choose([step(1, "a")], 0).lane).toBe("a");
    expect(strategy.choose([step(2, "a")], 1).lane).toBe("a");
    const counts = { b: 0, c: 0 };
    for (let i = 0; i < 2_000; i++) {
      const chosen = strategy.choose([step(10 + 3 * i, "a"), step(11 + 3 * i, "b"), step(12 + 3 * i, "c")], i + 2);
      if (chosen.lane !== "a") counts[chosen.lane as "b" | "c"]++;
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

describe("pct", () => {
  it("ranks lanes, not channels: with no change point one lane runs while it has a step, whichever channel", () => {
    for (const seed of ["p1", "p2", "p3", "p4"]) {
      const strategy = createStrategy("pct", new Rng(seed), { depth: 1, horizon: 30 });
      const lanes = new Set<string>();
      for (let i = 0; i < 100; i++) {
        const channel = i % 2 ? "timer" : "redis";
        const chosen = strategy.choose([step(4 * i, "a", `a:${channel}`), step(4 * i + 1, "b", "b:redis"), step(4 * i + 2, "b", "b:timer"), step(4 * i + 3, "c")], i);
        lanes.add(chosen.lane);
      }
      expect(lanes.size).toBe(1);
    }
  });

  it("lowers the running lane at a change point", () => {
    const strategy = createStrategy("pct", new Rng("cp"), { depth: 2, horizon: 5 });
    const lanes: string[] = [];
    for (let i = 0; i < 20; i++) lanes.push(strategy.choose([step(2 * i, "a"), step(2 * i + 1, "b")], i).lane);
    const switches = lanes.filter((lane, i) => i > 0 && lane !== lanes[i - 1]).length;
    expect(switches).toBe(1);
    expect(lanes.indexOf(lanes.at(-1) as string)).toBeGreaterThan(0);
  });
});
