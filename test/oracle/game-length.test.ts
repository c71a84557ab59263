import { describe, expect, it } from "vitest";
import { boundsFor, Oracle, type OracleOptions } from "../../sim/oracle/oracle.ts";
import type { Player } from "../../sim/players/player.ts";
import { config, player } from "./fixtures.ts";

/** single-allocation when dedicated servers host one game after another (the real swarm's `--game-ms`). */

const GAME_MS = 1_000;

/** A player told match_found for `session` on `server` at `at`. */
function told(id: string, server: string, session: string, at: number): Player {
  const address = `ws://${server}/game?session_id=${session}`;
  const made = player(id, { state: "matched", session, address });
  made.matches.push({ session, address, at });
  return made;
}

function announce(players: Player[], options: OracleOptions): Oracle {
  const oracle = new Oracle(players, config, boundsFor(config, 0), options);
  players.forEach((each, step) => oracle.matchReceived(step, each.matches[0]?.at ?? 0, each));
  return oracle;
}

describe("single-allocation with games that end", () => {
  it("fires for two games announced on one server while the first is still running", () => {
    const oracle = announce([told("a", "ds1:7001", "g1", 5_000), told("b", "ds1:7001", "g2", 5_000 + GAME_MS - 1)], { gameLengthMs: GAME_MS });
    expect(oracle.violations.map((violation) => violation.invariant)).toEqual(["single-allocation"]);
    expect(oracle.violations[0]).toMatchObject({ players: ["a", "b"] });
    expect(oracle.violations[0]?.message).toContain("g1, g2");
  });

  it("stays quiet for games one after another on one server", () => {
    const oracle = announce(
      [
        told("a", "ds1:7001", "g1", 5_000),
        told("b", "ds1:7001", "g1", 5_010),
        told("c", "ds1:7001", "g2", 5_000 + GAME_MS),
        told("d", "ds1:7001", "g3", 5_000 + 2 * GAME_MS + 300),
      ],
      { gameLengthMs: GAME_MS },
    );
    expect(oracle.violations).toEqual([]);
  });

  it("fires for the one overlap in a run of sequential games, naming only the overlapping ones", () => {
    const oracle = announce(
      [told("a", "ds1:7001", "g1", 0), told("b", "ds1:7001", "g2", 2 * GAME_MS), told("c", "ds1:7001", "g3", 2 * GAME_MS + 10)],
      { gameLengthMs: GAME_MS },
    );
    expect(oracle.violations.map((violation) => violation.invariant)).toEqual(["single-allocation"]);
    expect(oracle.violations[0]).toMatchObject({ players: ["b", "c"] });
  });

  it("without a game length, any second game on a server still fires, however late", () => {
    const oracle = announce([told("a", "ds1:7001", "g1", 0), told("b", "ds1:7001", "g2", 100 * GAME_MS)], {});
    expect(oracle.violations.map((violation) => violation.invariant)).toEqual(["single-allocation"]);
  });
});
