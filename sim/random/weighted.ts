import { assert } from "../assert.ts";

/**
 * The index that `uniform`, in [0, 1), falls on when each weight owns a share of [0, 1) as large as it is of
 * their sum: roulette-wheel selection. The last index when rounding leaves the point past every share.
 */
export function weightedIndex(weights: readonly number[], uniform: number): number {
  assert(weights.length > 0, "a weighted draw has something to draw");
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = uniform * total;
  for (const [i, weight] of weights.entries()) {
    point -= weight;
    if (point < 0) return i;
  }
  return weights.length - 1;
}
