import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { Rng } from "../../sim/random/rng.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { coincidentTime, COINCIDENCE_WINDOW_MS } from "../../sim/world/coincidence.ts";

describe("coincidentTime", () => {
  const anchors = (times: number[]) => (from: number, to: number) => times.filter((t) => t >= from && t <= to);

  it("keeps the drawn time at rate 0, and when nothing is near", () => {
    const rng = new Rng("c");
    for (let i = 0; i < 100; i++) {
      expect(coincidentTime(0, 5_000, 0, rng, anchors([5_100]))).toBe(5_000);
      expect(coincidentTime(0, 5_000, 1, rng, anchors([9_000, 100]))).toBe(5_000);
    }
  });

  it("moves onto an anchor within the window at rate 1, never sooner than half the delay", () => {
    const rng = new Rng("d");
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const at = coincidentTime(1_000, 3_000, 1, rng, anchors([1_500, 2_100, 3_900, 4_000 + COINCIDENCE_WINDOW_MS + 1]));
      seen.add(at);
    }
    // 1,500 is sooner than halfway (2,000) from now to the drawn 3,000; 5,001 is beyond the window.
    expect([...seen].sort()).toEqual([2_100, 3_900]);
  });

  it("at rate 1/2 moves about half the actions", () => {
    const rng = new Rng("e");
    let moved = 0;
    for (let i = 0; i < 2_000; i++) if (coincidentTime(0, 1_000, 0.5, rng, anchors([1_200])) !== 1_000) moved++;
    expect(Math.abs(moved - 1_000)).toBeLessThan(100);
  });
});

describe("worlds that seek coincidences", () => {
  /** Client actions that happen at the very instant of another player's action or a server timer. */
  async function coincident(coincidence: number): Promise<number> {
    const options = { ...findScenario("happy-path")!.options, coincidence };
    let count = 0;
    for (let seed = 0; seed < 20; seed++) {
      const trace = await runOnce({ scenario: "happy-path", server: "fixed", seed, strategy: "preempt", options });
      for (const step of trace.steps) {
        if (step.event.kind !== "client") continue;
        const player = step.lane;
        const together = (other: typeof step) =>
          other !== step && other.t === step.t && (other.event.kind === "timer" || (other.event.kind === "client" && other.lane !== player));
        if (trace.steps.some(together)) count++;
      }
    }
    return count;
  }

  it("line actions up with others and with timers far more often than independent draws do", async () => {
    const drawn = await coincident(0);
    const sought = await coincident(1);
    expect(sought).toBeGreaterThan(2 * drawn + 20);
  });
});
