import { describe, expect, it } from "vitest";
import { queued, server, session, view } from "./fixtures.ts";
import { Tape } from "./tape.ts";

const GAME = "9e9e9e9e-0000-4000-8000-000000000009";
const ADDRESS = `ws://ds1.sim:7000/game?session_id=${GAME}`;

/**
 * ds1 created GAME for a and b; b is told of it when `bTold`, a when `aTold`; then a is queued again while ds1's
 * record says `status` (other invariants aside: a player told of its game and queued breaks no-double-match).
 */
function queuedAgain(options: { aTold?: boolean; bTold?: boolean; status?: string; endedAt?: number | null; spoiled?: "record" | "session"; rollback?: "untouched" | "touched" }): string[] {
  const tape = new Tape(["a", "b"], { games: [{ session: GAME, players: ["a", "b"], endedAt: options.endedAt ?? null }] });
  // The loading session the game came from, seen live once.
  tape.view = view((v) => session(v, "s1", ["a", "b"]));
  tape.timer("tick:Normal_1v1");
  const commit = tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:commit");
  if (options.bTold ?? true) tape.tell("b", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
  if (options.aTold) tape.tell("a", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
  tape.at = 10_000;
  if (options.spoiled) tape.foreignWrite([options.spoiled === "record" ? "{mm}:player:a" : "loading:s1"]);
  tape.view = view((v) => {
    server(v, "ds1", options.status ?? "busy");
    queued(v, "a");
  });
  // Or Redis went back to a snapshot that has a queued, and nothing touched it since; or a server's script did.
  if (options.rollback !== undefined) {
    tape.rollback(2_000);
    if (options.rollback === "touched") tape.redis(tape.timer("presence"), "ok", "fixed:register_instance", { reads: ["{mm}:epoch"], writes: ["{mm}:instances"] });
    return tape.invariants().filter((name) => name === "told-before-placed-again");
  }
  tape.redis(tape.event({ kind: "client", player: "a", action: "reconnect" }), "ok", "fixed:enqueue");
  return tape.invariants().filter((name) => name === "told-before-placed-again");
}

describe("told-before-placed-again", () => {
  it("fires for a player queued again while the committed game it was never told of still runs", () => {
    expect(queuedAgain({})).toEqual(["told-before-placed-again"]);
  });

  it("stays quiet once the player was told, the server released it, the game ended, or nobody was ever told (no commit)", () => {
    expect(queuedAgain({ aTold: true })).toEqual([]);
    expect(queuedAgain({ status: "idle" })).toEqual([]);
    expect(queuedAgain({ endedAt: 5_000 })).toEqual([]);
    expect(queuedAgain({ bTold: false })).toEqual([]);
  });

  it("does not judge what a Redis rollback restored before a server's command touched it; what that command leaves is judged", () => {
    expect(queuedAgain({ rollback: "untouched" })).toEqual([]);
    expect(queuedAgain({ rollback: "touched" })).toEqual(["told-before-placed-again"]);
  });

  it("stays quiet where a foreign writer spoiled the player's record, or its session's: the server could no longer know of its game", () => {
    expect(queuedAgain({ spoiled: "record" })).toEqual([]);
    expect(queuedAgain({ spoiled: "session" })).toEqual([]);
  });
});
