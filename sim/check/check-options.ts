import type { Scenario, WorldOptions } from "../scenario/options.ts";

/**
 * The world `sim check` explores for a scenario: its check size (players, instances, servers and the options that
 * keep it small) over its own options, faults by choice offered everywhere for the explorer to branch on (the
 * scenario's kinds; none when no fault choice is allowed). Planned fault events and faults by rate stay as the
 * scenario has them: the seed fixes them, as it fixes the players' actions.
 */
export function checkOptions(scenario: Scenario, faults: number): WorldOptions {
  const size = scenario.check;
  const sized: WorldOptions =
    size === undefined
      ? scenario.options
      : { ...scenario.options, players: size.players, instances: size.instances, servers: size.servers, ...size.options };
  return { ...sized, faultOffers: "everywhere", choices: faults > 0 ? (sized.choices ?? {}) : {} };
}
