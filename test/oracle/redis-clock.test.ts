import { describe, expect, it } from "vitest";
import { redisClockOffsetAt, whenRedisReaches } from "../../sim/oracle/world-facts.ts";
import { worldFacts } from "./fixtures.ts";

describe("Redis's clock in the oracle's terms", () => {
  const due = (jumps: Array<{ at: number; byMs: number }>, from: number, durationMs: number) =>
    whenRedisReaches(worldFacts({ redisClockJumps: jumps }), from, durationMs);

  it("adds up the jumps struck by a time, and none after it", () => {
    const jumps = [
      { at: 1_000, byMs: 500 },
      { at: 2_000, byMs: -200 },
    ];
    expect([0, 999, 1_000, 1_999, 2_000, 9_000].map((at) => redisClockOffsetAt(jumps, at))).toEqual([0, 0, 500, 500, 300, 300]);
  });

  it("puts a deadline where Redis's clock first reaches it: unmoved without jumps, early after a step forward, late after one back", () => {
    expect(due([], 1_000, 10_000)).toBe(11_000);
    expect(due([{ at: 5_000, byMs: 2_000 }], 1_000, 10_000)).toBe(9_000);
    expect(due([{ at: 5_000, byMs: -2_000 }], 1_000, 10_000)).toBe(13_000);
    // A jump after the deadline, or before the deadline was set, moves nothing.
    expect(due([{ at: 12_000, byMs: 2_000 }], 1_000, 10_000)).toBe(11_000);
    expect(due([{ at: 500, byMs: 2_000 }], 1_000, 10_000)).toBe(11_000);
  });

  it("makes a deadline a step forward leaps over due at the step itself, and follows several steps in turn", () => {
    expect(due([{ at: 5_000, byMs: 8_000 }], 1_000, 10_000)).toBe(5_000);
    expect(
      due(
        [
          { at: 3_000, byMs: 4_000 },
          { at: 4_000, byMs: -6_000 },
        ],
        1_000,
        10_000,
      ),
    ).toBe(13_000);
  });
});
