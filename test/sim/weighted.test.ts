import { describe, expect, it } from "vitest";
import { weightedIndex } from "../../sim/random/weighted.ts";

describe("a weighted draw", () => {
  it("gives each index a share of [0, 1) as large as its weight is of the sum, zero weights none", () => {
    const weights = [1, 0, 3];
    expect(weightedIndex(weights, 0)).toBe(0);
    expect(weightedIndex(weights, 0.2499)).toBe(0);
    expect(weightedIndex(weights, 0.25)).toBe(2);
    expect(weightedIndex(weights, 0.9999)).toBe(2);
    const counts = [0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[weightedIndex(weights, i / 1000)]!++;
    expect(counts).toEqual([250, 0, 750]);
  });

  it("falls on the last index when the point is past every share, and refuses an empty list", () => {
    expect(weightedIndex([0, 0], 0.5)).toBe(1);
    expect(() => weightedIndex([], 0.5)).toThrow(/something to draw/);
  });
});
