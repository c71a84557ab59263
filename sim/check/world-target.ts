import type { Variant } from "../../src/server/match-server.ts";
import { assert } from "../assert.ts";
import type { Checker } from "../oracle/checker.ts";
import type { Violation } from "../oracle/invariants.ts";
import type { Rng } from "../random/rng.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { FaultChooser } from "../scheduler/fault-chooser.ts";
import type { StepWatcher } from "../scheduler/pending-steps.ts";
import type { Step } from "../scheduler/step.ts";
import type { Strategy } from "../scheduler/strategy.ts";
import { CONTINUING_KINDS } from "../trace/events.ts";
import type { ExploredWorld, RunExplorer, RunResult } from "../world/run-request.ts";
import { World } from "../world/world.ts";
import { EVERYTHING } from "./footprint.ts";
import { changedParts, finalState, observedParts } from "./observed-state.ts";
import type { CheckTarget, Choice, Guide } from "./target.ts";
import { worldFootprint } from "./world-footprints.ts";

/** The world a check explores: a scenario's, fixed by its seed. */
export interface WorldSpec {
  scenario: string;
  checkers?: readonly Checker[];
  server: Variant;
  seed: number;
  options: WorldOptions;
}

/** What one schedule of a world ended in. */
export interface WorldOutcome {
  verdict: RunResult["verdict"];
  violations: readonly Violation[];
  /** Every key and value left in Redis and every player's state: equal for equivalent schedules. */
  final: string;
}

/**
 * The unit the preemption bound counts switches between: a handler's run, from the step that started it (a
 * frame, a delivery, a timer, a client action...) through the steps that continue it (Redis round trips, HTTP
 * replies). An instance runs many handlers at once, which interleave at their awaits as threads do at their
 * yields: counting only switches between lanes (processes) would leave every interleaving of one instance's
 * handlers free, and the tree of even the smallest world beyond reach.
 */
function chainOf(step: Step): string {
  return `chain:${CONTINUING_KINDS.has(step.kind) ? (step.trigger ?? step).id : step.id}`;
}

/** A step as the guide sees it: its lane is its handler chain (chainOf). */
function choiceOf(step: Step): Choice {
  return { id: step.id, lane: chainOf(step), source: step.source };
}

/**
 * Hands every choice of one run to the guide, and tells it after each step what the step touched: its event's
 * Redis keys and actors, the steps it made and removed, the shared random streams it drew from, and whether it
 * changed what the oracle reads after every step.
 */
class GuidedRun implements RunExplorer, StepWatcher {
  private world: ExploredWorld | null = null;
  /** The step the guide chose when asked through the fault chooser, handed out by the strategy next. */
  private stashed: Step | null = null;
  private running: Step | null = null;
  private made: Step[] = [];
  private gone: Step[] = [];
  private drawsBefore: number[] = [];
  private observed: Map<string, string> = new Map();

  readonly strategy: Strategy = {
    choose: (enabled) => {
      const stashed = this.stashed;
      this.stashed = null;
      if (stashed !== null) {
        assert(enabled.includes(stashed), "the step the guide chose is still enabled when the strategy is asked");
        return this.starting(stashed);
      }
      return this.starting(this.ask(enabled, []));
    },
  };

  readonly faults: FaultChooser = {
    chooseFault: (options, _index, enabled) => {
      const chosen = this.ask(enabled, options);
      if (options.includes(chosen)) return this.starting(chosen);
      this.stashed = chosen;
      return null;
    },
  };

  constructor(
    private readonly guide: Guide,
    private readonly coincidence: number,
  ) {}

  private ask(enabled: readonly Step[], options: readonly Step[]): Step {
    const chosen = this.guide.choose(enabled.map(choiceOf), options.map(choiceOf), this.now());
    const step = enabled.find((candidate) => candidate.id === chosen.id) ?? options.find((candidate) => candidate.id === chosen.id);
    assert(step !== undefined, "the guide chose a step that is due or on offer");
    return step;
  }

  private now(): number {
    return (this.world as ExploredWorld).steps.now;
  }

  /** The chosen step is about to run: what it makes, removes and draws from now on is its doing. */
  private starting(step: Step): Step {
    const world = this.world as ExploredWorld;
    this.running = step;
    this.made = [];
    this.gone = [];
    this.drawsBefore = [...world.sharedStreams.values()].map((stream: Rng) => stream.draws);
    return step;
  }

  attach(world: ExploredWorld): void {
    this.world = world;
    world.steps.watch(this);
    this.observed = observedParts(world.view(), world.players);
  }

  added(step: Step): void {
    if (this.running !== null) this.made.push(step);
  }

  removed(step: Step): void {
    if (this.running !== null) this.gone.push(step);
  }

  stepped(step: Step): void {
    const world = this.world as ExploredWorld;
    assert(step === this.running && step.event !== null, "the step reported is the one the guide chose, and it ran");
    const streams = [...world.sharedStreams.entries()];
    const drew = streams.filter(([, stream], i) => stream.draws !== this.drawsBefore[i]).map(([name]) => name);
    const observed = observedParts(world.view(), world.players);
    const changed = changedParts(this.observed, observed);
    this.observed = observed;
    // The built-in checks read parts together (queue order compares players, prompt answers the time since a
    // turn came), as a scenario's own may: a change to any part is a change to all they read.
    const visible = changed.length > 0 ? [EVERYTHING] : [];
    const touched = worldFootprint({ step, event: step.event, created: this.made, removed: this.gone, drew, visible }, this.coincidence);
    // Dependence keeps steps of one chain in order, and judges a switch's cost by chains, as the bound counts.
    const footprint = { ...touched, lane: chainOf(step), createdOn: [...new Set(this.made.map(chainOf))] };
    this.running = null;
    this.guide.ran(footprint, step.cause, world.steps.now);
  }

  final(): string {
    const world = this.world as ExploredWorld;
    return finalState(world.redis, world.players);
  }
}

/**
 * A scenario's world as something to explore: each schedule a fresh World, every step and fault chosen by the
 * guide.
 */
export function worldTarget(spec: WorldSpec): CheckTarget<WorldOutcome> {
  return {
    async run(guide) {
      const explorer = new GuidedRun(guide, spec.options.coincidence ?? 0);
      const world = new World({
        scenario: spec.scenario,
        variant: spec.server,
        seed: spec.seed,
        strategy: "check",
        options: spec.options,
        checkers: spec.checkers,
        // Each schedule runs to its end, as `sim run` does: one bug does not hide another in the report.
        stopAtFirst: false,
        explorer,
      });
      const result = await world.run();
      return { verdict: result.verdict, violations: result.violations, final: explorer.final() };
    },
  };
}
