import { dependent } from "./dependence.ts";
import type { Footprint } from "./footprint.ts";
import type { Decision, Sleeper } from "./path.ts";
import { switchCost } from "./preemptions.ts";
import type { Choice } from "./target.ts";

/**
 * Whether a step `p` explored at `decision` before `chosen` may sleep in `chosen`'s branch under a preemption
 * bound. Sleeping p there prunes schedules decision.chosen...p.w, each equivalent to the schedule p.chosen....w
 * explored in p's branch, which must itself be within the bound. With steps of one lane dependent and p
 * independent of every step it sleeps past (so none of them is on p's lane or on a lane p made steps on), the
 * switches inside the moved part cost the same in both orders, and the switch into the rest costs no more after
 * the last of them than after p (that lane's due steps are the same with or without p). What is left is the
 * cost at the decision itself: p's order pays to switch into p, then out of p's lane to `chosen` when p's lane
 * had more due; the pruned one pays to switch into `chosen`, then at most as much to come back to p. When p's
 * order costs more, p stays awake: its branch may not have reached, within the bound, the schedules sleeping it
 * would prune (Coons et al. 2013 show plain sleep sets lose such schedules under a preemption bound).
 */
function boundSafe(decision: Decision, p: Sleeper, chosen: Choice): boolean {
  const intoP = switchCost(decision.lastLane, decision.steps, p);
  const intoChosen = switchCost(decision.lastLane, decision.steps, chosen);
  return intoP + (p.laneBusyAfter ? 1 : 0) <= intoChosen;
}

/**
 * The sleep set after `chosen` ran at `decision` with footprint `footprint`: the steps asleep here that it does
 * not touch, and the steps explored here before it that it does not touch (when the bound allows, above; never
 * at a decision whose every alternative is explored anyway, which shards split at and plain search uses).
 */
export function sleepAfter(decision: Decision, chosen: Choice, footprint: Footprint, bounded: boolean): Sleeper[] {
  const sleep = decision.sleep.filter((sleeper) => !dependent(sleeper.footprint, footprint));
  if (decision.full || footprint.global) return sleep;
  for (const explored of decision.explored.values()) {
    if (explored.id === chosen.id || dependent(explored.footprint, footprint)) continue;
    if (bounded && !boundSafe(decision, explored, chosen)) continue;
    sleep.push(explored);
  }
  return sleep;
}
