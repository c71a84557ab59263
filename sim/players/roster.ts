import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import { Rng } from "../random/rng.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { Behaviour } from "./behaviour.ts";

/** One player of a world as drawn, before it is made: who it is and the streams its doings draw from. */
export interface RosterEntry {
  /** Its place in the roster the world was first drawn with. */
  position: number;
  id: string;
  behaviour: Behaviour;
  mode: string;
  /** When it joins, ms from the start. */
  joinAfterMs: number;
  /** Its program's own draws. */
  own: Rng;
  /** Which instance each of its connections goes to. */
  network: Rng;
  /** Whether and where its actions move to coincide with others'. */
  timing: Rng;
}

/** The stream a world's roster is drawn from: its own, so anyone can draw the roster of a trace again. */
export function rosterStream(scenario: string, seed: number): Rng {
  return new Rng(`players:${scenario}:${seed}`);
}

/** Where each player of a world stands in its roster: as listed, unless the options say (a shrunk world). */
export function rosterPositions(options: Pick<WorldOptions, "players" | "playerPositions">): number[] {
  return options.playerPositions ?? options.players.map((_, index) => index);
}

/**
 * The players of a world, drawn position by position: an id, streams of their own (the program, its connections,
 * its timing) and a join delay; the game mode goes round-robin over the config's modes by position. A world that
 * keeps only some positions (a shrunk one) still draws every position up to the last it keeps, so each player it
 * keeps is the player it was, whoever else is gone. A malformed-frames player's id is deliberately not a UUID
 * (one is drawn all the same, for the same reason).
 */
export function drawRoster(options: WorldOptions, config: MatchConfig, rng: Rng): RosterEntry[] {
  const positions = rosterPositions(options);
  const kept = new Map(positions.map((position, index) => [position, index]));
  const roster: RosterEntry[] = [];
  const last = Math.max(-1, ...positions);
  for (let position = 0; position <= last; position++) {
    const uuid = rng.uuid();
    const own = rng.fork(`p${position}`);
    const network = rng.fork(`n${position}`);
    const timing = rng.fork(`t${position}`);
    const joinAfterMs = rng.int(0, options.joinWindowMs);
    const index = kept.get(position);
    const behaviour = index === undefined ? undefined : options.players[index];
    if (behaviour === undefined) continue;
    const mode = config.gameModes[position % config.gameModes.length]?.name ?? "Normal_1v1";
    const id = behaviour === "malformed-frames" ? `player-${position + 1}` : uuid;
    roster.push({ position, id, behaviour, mode, joinAfterMs, own, network, timing });
  }
  return roster;
}

/** The roster a run of this scenario, seed and options drew: what a trace's player ids stand for. */
export function rosterOf(run: { scenario: string; seed: number; options: WorldOptions }): RosterEntry[] {
  return drawRoster(run.options, { ...DEFAULT_CONFIG, ...run.options.config }, rosterStream(run.scenario, run.seed));
}
