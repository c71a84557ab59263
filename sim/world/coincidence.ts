import type { Rng } from "../random/rng.ts";

/** How far from its drawn time a player's action may move to coincide with another. */
export const COINCIDENCE_WINDOW_MS = 1_000;

/**
 * When a planned action happens: at `drawn`, or, with probability `rate`, at one of the instants `anchorsBetween`
 * lists within a second of it: another player's pending action or a server timer. A race needs two things to
 * happen at once, and independent draws make that rare: the world seeks the coincidences. Never sooner than half
 * the drawn delay: two players retrying could otherwise keep moving onto each other's pending retry at one
 * instant, and time would stop.
 */
export function coincidentTime(
  now: number,
  drawn: number,
  rate: number,
  rng: Rng,
  anchorsBetween: (from: number, to: number) => number[],
): number {
  if (rate === 0 || rng.float() >= rate) return drawn;
  const anchors = anchorsBetween(Math.max(drawn - COINCIDENCE_WINDOW_MS, (now + drawn) / 2), drawn + COINCIDENCE_WINDOW_MS);
  return anchors.length === 0 ? drawn : rng.pick(anchors);
}
