import { FAULT_KINDS } from "../faults/registry.ts";
import { BEHAVIOURS } from "../players/behaviour.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

const COUNTS = ["instances", "servers", "joinWindowMs", "timeGridMs", "raceWindowMs", "activeMs", "settleMs", "maxSettleMs", "maxSteps", "pctDepth", "pctHorizon"];

/**
 * What is wrong with a world's options, in one clause, or null when nothing is: the one check behind a world
 * being built, a trace being loaded and a scenario file being read.
 */
export function optionsProblem(options: unknown): string | null {
  if (!isObject(options)) return "options is not an object";
  for (const key of COUNTS) {
    if (!isCount(options[key])) return `options.${key} is not a whole number`;
  }
  if (options.coincidence !== undefined && !(typeof options.coincidence === "number" && options.coincidence >= 0 && options.coincidence <= 1)) {
    return "options.coincidence is not a probability";
  }
  if (options.gameMs !== undefined) {
    const games = options.gameMs;
    if (!isObject(games) || !isCount(games.min) || !isCount(games.max) || games.min < 1 || games.max < games.min) {
      return "options.gameMs is not { min, max } with 1 <= min <= max";
    }
  }
  if (options.serverHeartbeatMs !== undefined && !(isCount(options.serverHeartbeatMs) && options.serverHeartbeatMs >= 1)) {
    return "options.serverHeartbeatMs is not a whole number of milliseconds of at least 1";
  }
  if ((options.instances as number) < 1) return "options.instances must be at least 1";
  if ((options.maxSteps as number) < 1) return "options.maxSteps must be at least 1";
  if ((options.maxSettleMs as number) < (options.settleMs as number)) return "options.maxSettleMs is less than options.settleMs";
  const players = options.players;
  if (!Array.isArray(players) || !players.every((p) => (BEHAVIOURS as readonly unknown[]).includes(p))) {
    return `options.players is not a list of behaviours (known: ${BEHAVIOURS.join(", ")})`;
  }
  const positions = options.playerPositions;
  if (
    positions !== undefined &&
    !(Array.isArray(positions) && positions.length === players.length && positions.every((p, i) => isCount(p) && (i === 0 || p > (positions[i - 1] as number))))
  ) {
    return "options.playerPositions is not one ascending position per player";
  }
  if (!isObject(options.config) || !isObject(options.faults) || !isObject(options.events)) {
    return "options.config, options.faults and options.events must be objects";
  }
  for (const [key, value] of Object.entries(options.faults)) {
    if (typeof value !== "number" || value < 0 || value > 1) return `options.faults.${key} is not a probability`;
  }
  for (const [key, value] of Object.entries(options.events)) if (!isCount(value)) return `options.events.${key} is not a whole number`;
  if (options.choices !== undefined) {
    if (!isObject(options.choices)) return "options.choices must be an object";
    const offered = FAULT_KINDS.filter((kind) => kind.offer !== undefined).map((kind) => kind.name);
    for (const [key, value] of Object.entries(options.choices)) {
      if (!offered.includes(key)) return `options.choices.${key} is not a fault kind offered as a choice (${offered.join(", ")})`;
      if (typeof value !== "number" || value < 0 || value > 1) return `options.choices.${key} is not a probability`;
    }
  }
  if (options.faultOffers !== undefined && options.faultOffers !== "armed" && options.faultOffers !== "everywhere") {
    return 'options.faultOffers must be "armed" or "everywhere"';
  }
  return null;
}
