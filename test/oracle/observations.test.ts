import { describe, expect, it } from "vitest";
import { Observations } from "../../sim/oracle/observations.ts";
import type { Player } from "../../sim/players/player.ts";
import { player, worldFacts } from "./fixtures.ts";

describe("what the oracle observes", () => {
  it("takes a foreign write on a key as spoiling the player the key names, not one whose id the name merely contains", () => {
    const players = new Map<string, Player>(["player-1", "player-10", "player-2"].map((id) => [id, player(id, { state: "queued" })]));
    const observed = new Observations(players, worldFacts({ foreignWrites: [{ at: 0, keys: ["{mm}:player:player-10", "notifications:player-2"] }] }));
    observed.sawStep({ step: 0, at: 0 }, { id: 0, cause: null, event: { kind: "fault", fault: "foreign-write", target: "", note: "", effect: "" } });
    expect(["player-1", "player-10", "player-2"].map((id) => observed.spoiled(id))).toEqual([false, true, true]);
  });
});
