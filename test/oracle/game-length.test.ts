import { describe, expect, it } from "vitest";
import { boundsFor, Oracle, type OracleOptions } from "../../sim/oracle/oracle.ts";
import type { Player } from "../../sim/players/player.ts";
import { config, player } from "./fixtures.ts";

/** single-allocation when dedicated servers host one game after another (the real swarm's `--game-ms`). */

const GAME_MS = 1_000;

/**
 * A player who sent ready for its loading session at `readyAt` and was told match_found for `game` on
 * `server` at `at`: the game was created somewhere in between.
 */
function told(id: string, server: string, game: string, readyAt: number, at: number): Player {
  const address = `ws://${server}/game?session_id=${game}`;
  const made = player(id, { state: "matched", session: game, address });
  made.episodes.push({
    session: `loading-${game}`,
    connection: null,
    startedAt: readyAt - 100,
    readyDeliveredAt: readyAt,
    disconnectedAt: null,
    outcome: { at, kind: "matched", text: game },
  });
  made.matches.push({ session: game, address, at });
  return made;
}

function announce(players: Player[], options: OracleOptions): Oracle {
  const oracle = new Oracle(players, config, boundsFor(config, 0), options);
  players.forEach((each, step) => oracle.matchReceived(step, each.matches[0]?.at ?? 0, each));
  return oracle;
}

const invariantsOf = (oracle: Oracle) => oracle.violations.map((violation) => violation.invariant);

describe("single-allocation with games that end", () => {
  it("fires for a second game on a server that must have started while the first was running", () => {
    const oracle = announce(
      [told("a", "ds1:7001", "g1", 5_000, 5_020), told("b", "ds1:7001", "g2", 5_500, 5_520)],
      { gameLengthMs: GAME_MS },
    );
    expect(invariantsOf(oracle)).toEqual(["single-allocation"]);
    expect(oracle.violations[0]).toMatchObject({ players: ["a", "b"] });
    expect(oracle.violations[0]?.message).toContain("g1, g2");
  });

  it("stays quiet for games one after another on one server, however late their announcements", () => {
    const oracle = announce(
      [
        told("a", "ds1:7001", "g1", 5_000, 5_150),
        told("b", "ds1:7001", "g1", 4_990, 5_010),
        // Ready after g1 ended; the announcement of g1 reached a client late, close to g2's.
        told("c", "ds1:7001", "g2", 5_000 + GAME_MS + 50, 5_000 + GAME_MS + 60),
        told("d", "ds1:7001", "g3", 5_000 + 2 * GAME_MS + 300, 5_000 + 2 * GAME_MS + 310),
      ],
      { gameLengthMs: GAME_MS },
    );
    expect(oracle.violations).toEqual([]);
  });

  it("stays quiet when the windows leave room for the games not to overlap", () => {
    // g1 created in [0, 600], g2 in [900, 1_100]: 0 and 1_100 are a game apart.
    const oracle = announce([told("a", "ds1:7001", "g1", 0, 600), told("b", "ds1:7001", "g2", 900, 1_100)], { gameLengthMs: GAME_MS });
    expect(oracle.violations).toEqual([]);
  });

  it("names only the overlapping games in a run of sequential ones", () => {
    const oracle = announce(
      [
        told("a", "ds1:7001", "g1", 0, 10),
        told("b", "ds1:7001", "g2", 2 * GAME_MS, 2 * GAME_MS + 10),
        told("c", "ds1:7001", "g3", 2 * GAME_MS + 20, 2 * GAME_MS + 30),
      ],
      { gameLengthMs: GAME_MS },
    );
    expect(invariantsOf(oracle)).toEqual(["single-allocation"]);
    expect(oracle.violations[0]).toMatchObject({ players: ["b", "c"] });
  });

  it("without a game length, any second game on a server still fires, however late", () => {
    const oracle = announce([told("a", "ds1:7001", "g1", 0, 10), told("b", "ds1:7001", "g2", 100 * GAME_MS, 100 * GAME_MS + 10)], {});
    expect(invariantsOf(oracle)).toEqual(["single-allocation"]);
  });
});
