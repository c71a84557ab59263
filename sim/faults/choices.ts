import { Rng } from "../random/rng.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import { BuggifyChooser, type FaultChooser } from "../scheduler/fault-chooser.ts";
import type { Step } from "../scheduler/step.ts";
import type { FaultEvent } from "../trace/events.ts";
import type { FaultSpec } from "./fault-kind.ts";

/** Strikes of one kind per run at most: enough for a fault to meet its own aftermath, not a storm. */
const MOST_STRIKES = 2;
/**
 * Once armed, a kind strikes at each point where one of its options is available with a probability drawn per
 * run, log-uniformly between these: low, and the strike lands anywhere in the handlers that follow; high, and
 * it lands early in the first of them.
 */
const LEAST_CHANCE = 0.1;
const MOST_CHANCE = 0.6;

/** What the fault steps of chosen faults say about themselves: struck by choice, not at a planned time. */
export const BY_CHOICE = "by choice";

interface Enabled {
  /** Virtual times (absolute, ascending) from which each strike may come: one strike per time. */
  armedAt: number[];
  /** Offered at every point where it can strike, however often it struck: the run's explorer decides. */
  everywhere: boolean;
  chance: number;
  struck: number;
}

/**
 * Faults as choices (after FoundationDB's BUGGIFY): each fault kind a run's options name is enabled for the run
 * with the probability given there. An enabled kind strikes once or twice; each strike is armed at a time drawn
 * over the active phase, and comes at one of the next points where the kind's options are available (for a
 * crash: right after a step of an instance whose handler waits on Redis), each such point taken with the run's
 * chance. Arming by time spreads strikes over the run; choosing among points puts them between the steps of a
 * handler. A world that goes quiet before a strike's time has it armed at once (`armNow`): most worlds are busy
 * early, and a strike left for a later time was lost in most runs that enabled it. All draws come from streams
 * of their own, so a run that enables nothing is the run it was without.
 */
export class ChoiceSites {
  /** Enabling, arming, and the strikes' own parameters. */
  readonly rng: Rng;
  private readonly kinds = new Map<string, Enabled>();
  private readonly kindOfOption = new Map<number, string>();
  private readonly chooseRng: Rng;

  constructor(
    private readonly steps: PendingSteps,
    /**
     * When strikes are armed, virtual ms: half of them over the active phase, half over the time after it in
     * which what the active phase started meets its deadlines and sweeps (`lateMs`).
     */
    private readonly window: { from: number; activeMs: number; lateMs: number },
    scenario: string,
    seed: number,
    /** Offer enabled kinds everywhere (WorldOptions.faultOffers), drawing nothing. */
    private readonly everywhere = false,
  ) {
    this.rng = new Rng(`choices:${scenario}:${seed}`);
    this.chooseRng = new Rng(`buggify:${scenario}:${seed}`);
  }

  /** Whether a kind is enabled this run, given its probability; draws when and how it strikes. */
  enable(kind: string, probability: number): boolean {
    if (this.everywhere && probability > 0) {
      this.kinds.set(kind, { armedAt: [], everywhere: true, chance: 1, struck: 0 });
      return true;
    }
    if (!(probability > 0) || !this.rng.chance(probability)) return false;
    const strikes = this.rng.int(1, MOST_STRIKES);
    const { from, activeMs, lateMs } = this.window;
    const armedAt = Array.from({ length: strikes }, () =>
      this.rng.float() < 0.5 ? from + this.rng.int(0, activeMs) : from + activeMs + this.rng.int(0, lateMs),
    ).sort((a, b) => a - b);
    const chance = this.rng.logUniform(LEAST_CHANCE, MOST_CHANCE);
    this.kinds.set(kind, { armedAt, everywhere: false, chance, struck: 0 });
    return true;
  }

  private armed(kind: Enabled): boolean {
    if (kind.everywhere) return true;
    const next = kind.armedAt[kind.struck];
    return next !== undefined && this.steps.now >= next;
  }

  /** The latest time a strike still to come is armed at, or null when every enabled kind has struck its all. */
  lastArming(): number | null {
    let last: number | null = null;
    for (const kind of this.kinds.values()) {
      const pending = kind.armedAt.at(-1);
      if (kind.struck < kind.armedAt.length && pending !== undefined && (last === null || pending > last)) last = pending;
    }
    return last;
  }

  /**
   * Strikes armed for later than now but no later than `by` are armed now instead: they come at the next points
   * where they are available. Says whether any was.
   */
  armNow(by: number): boolean {
    let moved = false;
    for (const kind of this.kinds.values()) {
      for (let i = kind.struck; i < kind.armedAt.length; i++) {
        if ((kind.armedAt[i] as number) > this.steps.now && (kind.armedAt[i] as number) <= by) {
          kind.armedAt[i] = this.steps.now;
          moved = true;
        }
      }
    }
    return moved;
  }

  /** Some strike armed no later than `by` has not struck. */
  pendingBy(by: number): boolean {
    for (const kind of this.kinds.values()) {
      const next = kind.armedAt[kind.struck];
      if (next !== undefined && next <= by) return true;
    }
    return false;
  }

  /** Every enabled kind has struck its all. */
  spent(): boolean {
    return this.lastArming() === null;
  }

  /** Puts one option on offer; once struck, it is offered again while its kind has strikes left. */
  offer(spec: FaultSpec, available: () => boolean, effect: () => string): void {
    const kind = this.kinds.get(spec.fault);
    if (kind === undefined) return;
    const note = spec.note === "" ? BY_CHOICE : `${spec.note} ${BY_CHOICE}`;
    const option = this.steps.offer(
      { lane: "world", source: `choice:${spec.fault}:${spec.target}`, owner: null, kind: "fault" },
      (): FaultEvent => {
        kind.struck++;
        const event: FaultEvent = { kind: "fault", fault: spec.fault, target: spec.target, note, effect: effect() };
        if (kind.everywhere || kind.struck < kind.armedAt.length) this.offer(spec, available, effect);
        return event;
      },
      () => this.armed(kind) && available(),
    );
    this.kindOfOption.set(option.id, spec.fault);
  }

  /**
   * Picks which option, if any, strikes at a step: with its kind's chance, times how new the moment is
   * (`novelty`, 1 for a kind of step never offered before, less for one offered often). A strike armed in the
   * middle of routine (a match tick after the hundredth) waits for a moment that has not been struck at before.
   */
  chooser(novelty: () => number): FaultChooser {
    return new BuggifyChooser(this.chooseRng, (option: Step) => (this.kinds.get(this.kindOfOption.get(option.id) ?? "")?.chance ?? 0) * novelty());
  }
}
