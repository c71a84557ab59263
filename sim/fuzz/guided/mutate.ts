import { FAULT_KINDS } from "../../faults/registry.ts";
import { BEHAVIOURS } from "../../players/behaviour.ts";
import type { Rng } from "../../random/rng.ts";
import { ANY_FAULT } from "../../scheduler/strategies/lenient-replay.ts";
import type { Mutant, MutationKind } from "../job.ts";
import type { CorpusEntry } from "./corpus.ts";

export const MUTATION_KINDS: readonly MutationKind[] = ["suffix", "move-fault", "add-fault", "behaviour"];

/** How far a moved fault goes, in steps either way: near enough to land in the same handlers' round trips. */
const MOVE_REACH = 40;

/**
 * A corpus entry changed in one way, drawn from `rng`: its decisions re-decided from a point on (the strategy,
 * on a stream salted with `salt`, takes over there), a fault that struck by choice moved a few steps, a fault
 * added at a point, or one player given another behaviour. Every mutant is run leniently: where its list no
 * longer fits its world, the strategy decides.
 */
export function mutate(entry: CorpusEntry, rng: Rng, salt: string): Mutant {
  const { options, decisions, faultsAt } = entry.recording;
  const kinds = MUTATION_KINDS.filter((kind) => (kind !== "move-fault" || faultsAt.length > 0) && (kind !== "behaviour" || options.players.length > 0));
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
    case "add-fault": {
      const at = rng.int(0, decisions.length);
      // A run that struck no fault by choice may have had none enabled: enable one kind for sure, which
      // shifts the ids of the steps made after the world was built, so most of such a list gets re-decided.
      const offered = FAULT_KINDS.filter((fault) => fault.offer !== undefined).map((fault) => fault.name);
      const enabled = faultsAt.length > 0 ? options : { ...options, choices: { ...options.choices, [rng.pick(offered)]: 1 } };
      return { kind, options: enabled, decisions: [...decisions.slice(0, at), ANY_FAULT, ...decisions.slice(at)], salt };
    }
    case "behaviour": {
      const players = [...options.players];
      const who = rng.int(0, players.length - 1);
      players[who] = rng.pick(BEHAVIOURS.filter((behaviour) => behaviour !== players[who]));
      return { kind, options: { ...options, players }, decisions, salt };
    }
  }
}
