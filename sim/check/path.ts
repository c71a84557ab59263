import type { Footprint } from "./footprint.ts";
import type { Choice } from "./target.ts";

/** A step explored first at a decision, kept to put it to sleep in the branches explored after it. */
export interface Sleeper {
  readonly id: number;
  readonly lane: string;
  readonly footprint: Footprint;
  /** Its lane still had a step due once it ran: switching away right after it would have been a preemption. */
  laneBusyAfter: boolean;
}

/** One point of a schedule where the explorer chose the next step, with what it knows of the subtree below. */
export interface Decision {
  /** Ordinary steps due, in id order. */
  readonly steps: readonly Choice[];
  /** Faults on offer, in id order. */
  readonly options: readonly Choice[];
  readonly now: number;
  /** The lane of the last ordinary step, null at the start and after time moved on because nothing was due. */
  readonly lastLane: string | null;
  /** Preemptions and fault choices spent before this decision. */
  readonly preemptions: number;
  readonly faults: number;
  /** The decision at which the current instant began: steps of earlier instants all happened before. */
  readonly epoch: number;
  /** How many decisions before this one had more than one alternative. */
  readonly level: number;
  /** Steps not to run here: a schedule equivalent to one that runs them was explored already. */
  readonly sleep: readonly Sleeper[];
  /** The choices the bounds allow: steps within the preemption bound, and options while faults remain. */
  readonly alternatives: readonly Choice[];
  /** Every alternative is explored (the levels shards split at, or plain bounded search). */
  readonly full: boolean;
  /** Ids to explore from here; `done` those explored or being explored. */
  readonly backtrack: Set<number>;
  readonly done: Set<number>;
  /** The ordinary steps explored here so far, for the sleep sets of later branches. */
  readonly explored: Map<number, Sleeper>;
  /** The choice the current schedule made here; null when every step due was asleep (the run stopped). */
  chosen: Choice | null;
}

/** A step the current schedule ran, with what dependence needs of it. */
export interface Executed {
  readonly choice: Choice;
  readonly option: boolean;
  readonly footprint: Footprint;
  /** The index (in this schedule) of the step whose code made it, or -1 when it was the world's own. */
  readonly causeIndex: number;
  /** Virtual time once it ran. */
  readonly nowAfter: number;
  /** Indices of the steps that happened before it, as a bit set (filled in by the race analysis). */
  happensAfter: Uint32Array | null;
}

/** Whether `id` sleeps at a decision. */
export function asleep(decision: Decision, id: number): boolean {
  return decision.sleep.some((sleeper) => sleeper.id === id);
}

/** The schedule being explored: its decisions and the steps it ran, index for index. */
export interface Path {
  readonly decisions: Decision[];
  readonly executed: Executed[];
}
