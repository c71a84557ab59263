import { assert } from "../../assert.ts";
import { FAULT_KINDS } from "../../faults/registry.ts";
import { BEHAVIOURS } from "../../players/behaviour.ts";
import type { Rng } from "../../random/rng.ts";
import { weightedIndex } from "../../random/weighted.ts";
import type { WorldOptions } from "../../scenario/options.ts";
import { drawSwarmWorld } from "../../scenario/swarm-world.ts";
import { optionsProblem } from "../../scenario/validate.ts";
import { ANY_FAULT } from "../../scheduler/strategies/lenient-replay.ts";
import type { Mutant, MutationKind } from "../job.ts";
import type { CorpusEntry } from "./corpus.ts";

export const MUTATION_KINDS: readonly MutationKind[] = ["suffix", "move-fault", "add-fault", "fault-at-probe", "behaviour", "world"];

/** How far a moved or aimed fault goes, in steps either way: near enough to land in the same handlers' round trips. */
const MOVE_REACH = 40;

/** Swarm worlds a "world" mutation takes a knob from: any seed's, drawn. */
const DONOR_SEEDS = 1_000_000;
/** The knobs of a world's shape a "world" mutation may change, besides each fault rate and event count. */
const SHAPE_KNOBS = ["instances", "servers", "timeGridMs", "coincidence", "raceWindowMs", "serverHeartbeatMs"] as const;

/** How rare a probe is in the session, in (0, 1] (Corpus.rarity). */
export type Rarity = (probe: string) => number;

/**
 * A corpus entry changed in one way, drawn from `rng`: its decisions re-decided from a point on (the strategy,
 * on a stream salted with `salt`, takes over there), a fault that struck by choice moved a few steps, a fault
 * added at a point, or near where a probe was hit (rare probes likelier: a fault in the window a rare branch
 * opens is where rare bugs are), one player given another behaviour, or one knob of its world's shape (a count,
 * a timing, a fault rate or event count) taken from another seed's swarm world: the corpus's worlds, each with one
 * thing no scenario combined with it. Every mutant is run leniently: where its list no longer fits its world,
 * the strategy decides.
 */
export function mutate(entry: CorpusEntry, rng: Rng, salt: string, rarity: Rarity): Mutant {
  const { options, decisions, faultsAt, hitSteps } = entry.recording;
  const hit = Object.keys(hitSteps);
  const kinds = MUTATION_KINDS.filter(
    (kind) => (kind !== "move-fault" || faultsAt.length > 0) && (kind !== "behaviour" || options.players.length > 0) && (kind !== "fault-at-probe" || hit.length > 0),
  );
  const kind = rng.pick(kinds);
  switch (kind) {
    case "suffix":
      return { kind, options, decisions: decisions.slice(0, rng.int(0, Math.max(0, decisions.length - 1))), salt };
    case "move-fault": {
      const from = rng.pick(faultsAt);
      const rest = decisions.filter((_, i) => i !== from);
      const to = Math.min(rest.length, Math.max(0, from + rng.int(-MOVE_REACH, MOVE_REACH)));
      return { kind, options, decisions: [...rest.slice(0, to), decisions[from] as number, ...rest.slice(to)], salt };
    }
    case "add-fault":
      return { kind, options: withAFaultArmed(entry, rng), decisions: withAnyFault(decisions, rng.int(0, decisions.length)), salt };
    case "fault-at-probe": {
      const probe = pickByRarity(hit, rng, rarity);
      const near = rng.pick(hitSteps[probe] as number[]);
      const at = Math.min(decisions.length, Math.max(0, near + rng.int(-MOVE_REACH, MOVE_REACH)));
      return { kind, options: withAFaultArmed(entry, rng), decisions: withAnyFault(decisions, at), salt };
    }
    case "behaviour": {
      const players = [...options.players];
      const who = rng.int(0, players.length - 1);
      players[who] = rng.pick(BEHAVIOURS.filter((behaviour) => behaviour !== players[who]));
      return { kind, options: { ...options, players }, decisions, salt };
    }
    case "world":
      return { kind, options: withKnobOf(options, drawSwarmWorld(rng.int(0, DONOR_SEEDS - 1)), rng), decisions, salt };
  }
}

/** `options` with one knob of its shape, drawn from `rng`, as `donor` has it. */
function withKnobOf(options: WorldOptions, donor: WorldOptions, rng: Rng): WorldOptions {
  const knobs = [...SHAPE_KNOBS, ...Object.keys(donor.faults).map((key) => `faults.${key}`), ...Object.keys(donor.events).map((key) => `events.${key}`)];
  const knob = rng.pick(knobs);
  const [group, key] = knob.split(".") as [string, string | undefined];
  const changed: WorldOptions =
    group === "faults" && key !== undefined
      ? { ...options, faults: { ...options.faults, [key]: donor.faults[key as keyof WorldOptions["faults"]] } }
      : group === "events" && key !== undefined
        ? { ...options, events: { ...options.events, [key]: donor.events[key as keyof WorldOptions["events"]] } }
        : { ...options, [knob]: donor[knob as (typeof SHAPE_KNOBS)[number]] };
  const problem = optionsProblem(changed);
  assert(problem === null, `a world with ${knob} of a swarm world is valid (${problem})`);
  return changed;
}

function withAnyFault(decisions: readonly number[], at: number): number[] {
  assert(at >= 0 && at <= decisions.length, `a fault is added within the list (${at} of ${decisions.length})`);
  return [...decisions.slice(0, at), ANY_FAULT, ...decisions.slice(at)];
}

/**
 * The entry's world, with one fault kind enabled for sure when no fault struck by choice in its run, which may
 * have had none enabled. That shifts the ids of the steps made after the world was built, so most of such a
 * list gets re-decided.
 */
function withAFaultArmed(entry: CorpusEntry, rng: Rng): WorldOptions {
  const { options, faultsAt } = entry.recording;
  if (faultsAt.length > 0) return options;
  const offered = FAULT_KINDS.filter((fault) => fault.offer !== undefined).map((fault) => fault.name);
  return { ...options, choices: { ...options.choices, [rng.pick(offered)]: 1 } };
}

/** One of `probes`, each as likely as it is rare. */
function pickByRarity(probes: readonly string[], rng: Rng, rarity: Rarity): string {
  const weights = probes.map((probe) => rarity(probe));
  assert(weights.some((weight) => weight > 0), "some probe of a corpus entry has a positive rarity");
  return probes[weightedIndex(weights, rng.float())] as string;
}
