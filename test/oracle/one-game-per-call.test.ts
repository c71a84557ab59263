import { describe, expect, it } from "vitest";
import { boundsFor, Oracle } from "../../sim/oracle/oracle.ts";
import type { CreatedGame } from "../../sim/oracle/world-facts.ts";
import { config, view, worldFacts } from "./fixtures.ts";

const timer = (id: number) => ({ id, cause: null, event: { kind: "timer" as const, owner: "i1", timer: "tick:Normal_1v1" } });

/** g1 is made at 1 s, then a second game at 1.5 s, each seen after its step; the one-game-per-call verdicts. */
function judged(second: Partial<CreatedGame>, first: Partial<CreatedGame> = {}): string[] {
  const g1 = { session: "g1", players: ["a", "b"], key: "s1:1", createdAt: 1_000, ...first };
  const g2 = { session: "g2", players: ["a", "b"], key: "s1:1", createdAt: 1_500, ...second };
  let made = worldFacts({ games: [g1] }).games();
  const oracle = new Oracle([], config, boundsFor(config, 0), { world: { ...worldFacts(), games: () => made } });
  oracle.afterStep(0, 1_000, view(() => {}), timer(0));
  made = worldFacts({ games: [g1, g2] }).games();
  oracle.afterStep(1, 1_500, view(() => {}), timer(1));
  return oracle.violations.filter((violation) => violation.invariant === "one-game-per-call").map((violation) => violation.message);
}

describe("one-game-per-call", () => {
  it("fires when a server makes a second game for a call whose first game still runs there", () => {
    expect(judged({})).toEqual([
      "ds1 created game g2 for create call s1:1, while game g1, made for the same call, still runs: a call that arrives again must get the game it made",
    ]);
  });

  it("stays quiet for another call, another server, a call without a key, and a first game over or gone with its process", () => {
    expect(judged({ key: "s1:2" })).toEqual([]);
    expect(judged({ server: "ds2", address: "ds2.sim:7000" })).toEqual([]);
    expect(judged({ key: null }, { key: null })).toEqual([]);
    expect(judged({}, { endedAt: 1_200 })).toEqual([]);
  });
});
