import { NO_FAULTS } from "../faults/parameters.ts";
import { FAULT_KINDS } from "../faults/registry.ts";
import { rosterPositions } from "../players/roster.ts";
import type { WorldOptions } from "../scenario/options.ts";

/** Shortest active phase shrinking tries: long enough for a join, a match tick and a load. */
const MIN_ACTIVE_MS = 5_000;

/** The world with only the players at these indices of `options.players`, each where it stood in the roster. */
export function withPlayers(options: WorldOptions, indices: readonly number[]): WorldOptions {
  const positions = rosterPositions(options);
  const kept = [...indices].sort((a, b) => a - b);
  return {
    ...options,
    players: kept.map((index) => options.players[index] as WorldOptions["players"][number]),
    playerPositions: kept.map((index) => positions[index] as number),
  };
}

/** The world where only the players at these indices keep their behaviour; the others behave normally. */
export function withBehaviours(options: WorldOptions, indices: readonly number[]): WorldOptions {
  const kept = new Set(indices);
  return { ...options, players: options.players.map((behaviour, index) => (kept.has(index) ? behaviour : "normal")) };
}

/** The indices of players who do not behave normally. */
export function unusualPlayers(options: WorldOptions): number[] {
  return options.players.flatMap((behaviour, index) => (behaviour === "normal" ? [] : [index]));
}

/**
 * Worlds with fewer faults, most drastic first: no per-operation fault at all, then what each fault kind
 * offers (its events gone, halved, one fewer; one rate off).
 */
export function fewerFaults(options: WorldOptions): WorldOptions[] {
  const candidates: WorldOptions[] = [];
  if (Object.values(options.faults).some((rate) => rate > 0)) candidates.push({ ...options, faults: NO_FAULTS });
  for (const kind of FAULT_KINDS) candidates.push(...kind.smaller(options));
  return candidates;
}

/** Smaller counts, most drastic first: the least, half, one fewer (60 -> 0, 30, 59). */
function fewer(count: number, least: number): number[] {
  const smaller = [least, Math.floor(count / 2), count - 1].filter((value) => value >= least && value < count);
  return [...new Set(smaller)];
}

/**
 * Worlds with fewer instances and dedicated servers: the fewest first, then half, then one fewer. At least one
 * instance; no dedicated server at all is a world too (every allocation finds none).
 */
export function fewerMachines(options: WorldOptions): WorldOptions[] {
  return [
    ...fewer(options.instances, 1).map((instances) => ({ ...options, instances })),
    ...fewer(options.servers, 0).map((servers) => ({ ...options, servers })),
  ];
}

/**
 * A shorter settle phase: its longest run halved, down to its least. A run that fails only because someone is
 * stranded never quiets down and settles for as long as it may, which is most of its steps.
 */
export function shorterSettle(options: WorldOptions): WorldOptions[] {
  const halved = Math.max(options.settleMs, Math.floor(options.maxSettleMs / 2));
  return halved < options.maxSettleMs ? [{ ...options, maxSettleMs: halved }] : [];
}

/** Calmer timing: a shorter active phase (halved, down to MIN_ACTIVE_MS) and a narrower join window. */
export function calmerTiming(options: WorldOptions): WorldOptions[] {
  const candidates: WorldOptions[] = [];
  if (options.activeMs > MIN_ACTIVE_MS) candidates.push({ ...options, activeMs: Math.max(MIN_ACTIVE_MS, Math.floor(options.activeMs / 2)) });
  if (options.joinWindowMs > 0) candidates.push({ ...options, joinWindowMs: Math.floor(options.joinWindowMs / 2) });
  return candidates;
}
