import { NonDeterminismError } from "../scheduler/strategy.ts";
import type { CheckBounds } from "./bounds.ts";
import type { Footprint } from "./footprint.ts";
import { asleep, type Decision, type Path } from "./path.ts";
import { costAt, switchCost } from "./preemptions.ts";
import { sleepAfter } from "./sleep-sets.ts";
import type { Choice, Guide } from "./target.ts";

/** Why the explorer stopped a run before its end. */
export class RunStopped extends Error {
  override readonly name = "RunStopped";
  constructor(
    /** `asleep`: every step due sleeps (the schedule is equivalent to one explored); `elsewhere`: another shard's. */
    readonly why: "asleep" | "elsewhere",
  ) {
    super(`run stopped: ${why}`);
  }
}

/** How the explorer lays out the tree this guide walks. */
export interface GuideRules {
  bounds: CheckBounds;
  /** Partial-order reduction (sleep sets, a backtrack set grown by races), or every alternative (plain search). */
  reduce: boolean;
  /** Decisions with alternatives whose level is below this have every alternative explored: shards split there. */
  splitLevels: number;
  /** Told of each subtree root a run enters on its own (its first choice at the last split level); false: skip it. */
  enterRoot(): boolean;
}

function sameIds(recorded: readonly Choice[], now: readonly Choice[]): boolean {
  return recorded.length === now.length && recorded.every((choice, i) => choice.id === (now[i] as Choice).id);
}

/**
 * Walks one schedule: follows `prefix` (the choices of an explored schedule, then the new one), then goes on by
 * the default (the running lane's oldest step, else the oldest step; never a preemption, never a fault) among the
 * steps not asleep, adding a decision to the path at every step.
 */
export class RunGuide implements Guide {
  private index = 0;
  private readonly indexOfId = new Map<number, number>();

  constructor(
    private readonly path: Path,
    private readonly prefix: readonly number[],
    private readonly rules: GuideRules,
  ) {}

  choose(steps: readonly Choice[], options: readonly Choice[], now: number): Choice {
    const k = this.index;
    if (k < this.prefix.length) return this.follow(k, steps, options);
    const decision = this.decide(k, steps, options, now);
    this.path.decisions.push(decision);
    if (decision.chosen === null) throw new RunStopped("asleep");
    decision.done.add(decision.chosen.id);
    if (this.isRoot(decision) && !this.rules.enterRoot()) throw new RunStopped("elsewhere");
    return decision.chosen;
  }

  private isRoot(decision: Decision): boolean {
    return decision.level === this.rules.splitLevels - 1 && decision.alternatives.length > 1;
  }

  private follow(k: number, steps: readonly Choice[], options: readonly Choice[]): Choice {
    const decision = this.path.decisions[k] as Decision;
    if (!sameIds(decision.steps, steps) || !sameIds(decision.options, options)) {
      throw new NonDeterminismError(`sim check: the steps due at decision ${k} differ from the run that explored it`);
    }
    const id = this.prefix[k] as number;
    const choice = steps.find((step) => step.id === id) ?? options.find((option) => option.id === id);
    if (choice === undefined) throw new NonDeterminismError(`sim check: step #${id} is not due at decision ${k}`);
    decision.chosen = choice;
    return choice;
  }

  private decide(k: number, steps: readonly Choice[], options: readonly Choice[], now: number): Decision {
    const { bounds, reduce, splitLevels } = this.rules;
    const previous = k === 0 ? null : (this.path.decisions[k - 1] as Decision);
    const ran = this.path.executed[k - 1];
    const chosenBefore = previous?.chosen ?? null;
    let lastLane: string | null = null;
    let preemptions = 0;
    let faults = 0;
    let epoch = 0;
    let level = 0;
    let sleep: Decision["sleep"] = [];
    if (previous !== null && ran !== undefined && chosenBefore !== null) {
      const moved = now > ran.nowAfter;
      lastLane = moved || ran.option ? null : chosenBefore.lane;
      preemptions = previous.preemptions + costAt(previous, chosenBefore);
      faults = previous.faults + (ran.option ? 1 : 0);
      epoch = moved ? k : previous.epoch;
      level = previous.level + (previous.alternatives.length > 1 ? 1 : 0);
      if (reduce) sleep = sleepAfter(previous, chosenBefore, ran.footprint, Number.isFinite(bounds.preemptions));
      const explored = previous.explored.get(chosenBefore.id);
      if (explored !== undefined) explored.laneBusyAfter = steps.some((step) => step.lane === chosenBefore.lane);
    }
    const inBound = steps.filter((step) => preemptions + switchCost(lastLane, steps, step) <= bounds.preemptions);
    const offered = faults < bounds.faults ? options : [];
    const alternatives = [...inBound, ...offered];
    const full = !reduce || (alternatives.length > 1 && level < splitLevels);
    const awake = inBound.filter((step) => !sleep.some((sleeper) => sleeper.id === step.id));
    const chosen = awake.find((step) => step.lane === lastLane) ?? awake[0] ?? null;
    const backtrack = new Set(full ? alternatives.map((choice) => choice.id) : [...(chosen ? [chosen.id] : []), ...offered.map((option) => option.id)]);
    return {
      steps,
      options,
      now,
      lastLane,
      preemptions,
      faults,
      epoch,
      level,
      sleep,
      alternatives,
      full,
      backtrack,
      done: new Set(),
      explored: new Map(),
      chosen,
    };
  }

  ran(footprint: Footprint, cause: number | null, nowAfter: number): void {
    const k = this.index++;
    const decision = this.path.decisions[k] as Decision;
    const choice = decision.chosen as Choice;
    this.indexOfId.set(choice.id, k);
    if (k < this.prefix.length - 1) return;
    const option = decision.options.some((offered) => offered.id === choice.id);
    // A step chosen ahead of time, from the race window, moved the clock every other step reads.
    const touched = nowAfter > decision.now && !footprint.global ? { ...footprint, global: true } : footprint;
    this.path.executed[k] = {
      choice,
      option,
      footprint: touched,
      causeIndex: cause === null ? -1 : (this.indexOfId.get(cause) ?? -1),
      nowAfter,
      happensAfter: null,
    };
    if (!option) decision.explored.set(choice.id, { id: choice.id, lane: choice.lane, footprint: touched, laneBusyAfter: false });
  }
}

/** Whether an id still waits to be explored at a decision. */
export function pending(decision: Decision, id: number): boolean {
  return !decision.done.has(id) && !asleep(decision, id);
}
