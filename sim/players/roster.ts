import type { MatchConfig } from "../../src/config/config.ts";
import type { Rng } from "../random/rng.ts";
import type { WorldOptions } from "../scenario/options.ts";
import { Player, type PlayerHost } from "./player.ts";

/**
 * The players of a world: one per behaviour in the options, game modes round-robin, each with its own random
 * stream, and the delay after which it joins. A malformed-frames player's id is deliberately not a UUID.
 */
export function buildRoster(options: WorldOptions, config: MatchConfig, rng: Rng, host: PlayerHost): Array<{ player: Player; joinAfterMs: number }> {
  return options.players.map((behaviour, index) => {
    const mode = config.gameModes[index % config.gameModes.length]?.name ?? "Normal_1v1";
    const id = behaviour === "malformed-frames" ? `player-${index + 1}` : rng.uuid();
    const modes = config.gameModes.map((each) => each.name);
    const player = new Player(id, mode, behaviour, host, rng.fork(`p${index}`), modes);
    return { player, joinAfterMs: rng.int(0, options.joinWindowMs) };
  });
}
