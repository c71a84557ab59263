import { assert, broken } from "../assert.ts";
import { CONTINUING_KINDS, STEP_KINDS } from "../trace/events.ts";
import type { Step, StepKind, StepRun, StepSpec } from "./step.ts";

/** Told of every step added to a channel and every pending step removed without running (`sim check`). */
export interface StepWatcher {
  added(step: Step): void;
  removed(step: Step): void;
}

/**
 * Every pending step, grouped by FIFO source, with the virtual clock. Steps of a paused owner stay pending
 * until the pause ends.
 */
export class PendingSteps {
  private clock: number;
  private nextId = 0;
  private readonly sources = new Map<string, Step[]>();
  private readonly pausedUntil = new Map<string, number>();
  private count = 0;
  private readonly options: Step[] = [];
  /** The step whose code runs now: every step added meanwhile was made by it. */
  private running: Step | null = null;
  private readonly kinds = Object.fromEntries(STEP_KINDS.map((kind) => [kind, 0])) as Record<StepKind, number>;
  private watcher: StepWatcher | null = null;

  constructor(start: number) {
    assert(Number.isFinite(start), "virtual time starts at a finite instant");
    this.clock = start;
  }

  /** Virtual time, ms since the Unix epoch. */
  get now(): number {
    return this.clock;
  }

  /** Moves virtual time; it never runs backwards. */
  set now(to: number) {
    if (!(to >= this.clock)) broken(`virtual time ran backwards: from ${this.clock} to ${to}`);
    this.clock = to;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Schedules a step. `run` comes apart from the spec so that callers pass it as an argument: an arrow in an
   * object literal gets a name, which tsx's keep-names transform sets with a defineProperty on every step.
   */
  add(spec: StepSpec, run: StepRun): Step {
    if (!(spec.readyAt >= this.clock)) broken(`step on ${spec.source} was made ready at ${spec.readyAt}, in the past of ${this.clock}`);
    // Spelled out rather than spread: every step then has one shape, which keeps the hot paths monomorphic.
    const step: Step = {
      lane: spec.lane,
      source: spec.source,
      owner: spec.owner,
      kind: spec.kind,
      readyAt: spec.readyAt,
      run,
      id: this.nextId++,
      cause: this.running === null ? null : this.running.id,
      available: null,
      trigger: this.trigger(),
      event: null,
      cancelled: false,
    };
    const queue = this.sources.get(step.source);
    if (queue) queue.push(step);
    else this.sources.set(step.source, [step]);
    this.count++;
    this.kinds[step.kind]++;
    if (this.watcher !== null) this.watcher.added(step);
    return step;
  }

  /** Tells `watcher` of every step added or removed from now on. */
  watch(watcher: StepWatcher): void {
    this.watcher = watcher;
  }

  /**
   * Offers an option: a step that no channel orders and no time makes due, which the world may choose to run at
   * any step while `available` holds (faults as choices). Options are kept apart from the channels: they never
   * count as pending work, never move time, and vanish with `withdrawOptions`.
   */
  offer(spec: Omit<StepSpec, "readyAt">, run: StepRun, available: () => boolean): Step {
    const step: Step = {
      lane: spec.lane,
      source: spec.source,
      owner: spec.owner,
      kind: spec.kind,
      readyAt: this.clock,
      run,
      id: this.nextId++,
      cause: this.running === null ? null : this.running.id,
      available,
      trigger: this.trigger(),
      event: null,
      cancelled: false,
    };
    this.options.push(step);
    return step;
  }

  /** The options that could strike now, in creation order. */
  availableOptions(): Step[] {
    const available: Step[] = [];
    for (const option of this.options) if ((option.available as () => boolean)()) available.push(option);
    return available;
  }

  /** Every option is withdrawn: the phase that offered them is over. */
  withdrawOptions(): void {
    for (const option of this.options) option.cancelled = true;
    this.options.length = 0;
  }

  cancel(step: Step): void {
    if (step.cancelled) return;
    step.cancelled = true;
    const queue = this.sources.get(step.source);
    if (!queue) return;
    const index = queue.indexOf(step);
    if (index >= 0) {
      queue.splice(index, 1);
      this.count--;
      this.kinds[step.kind]--;
      if (queue.length === 0) this.sources.delete(step.source);
      if (this.watcher !== null) this.watcher.removed(step);
    }
  }

  /** A crashed instance's steps vanish. */
  cancelOwner(owner: string): number {
    let removed = 0;
    for (const [source, queue] of this.sources) {
      const kept = queue.filter((step) => {
        if (step.owner !== owner) return true;
        step.cancelled = true;
        removed++;
        this.kinds[step.kind]--;
        if (this.watcher !== null) this.watcher.removed(step);
        return false;
      });
      if (kept.length === 0) this.sources.delete(source);
      else this.sources.set(source, kept);
    }
    this.count -= removed;
    return removed;
  }

  /** How many steps of a kind are pending. */
  pending(kind: StepKind): number {
    return this.kinds[kind];
  }

  /** Some owner is paused now. */
  anyPaused(): boolean {
    for (const until of this.pausedUntil.values()) if (until > this.clock) return true;
    return false;
  }

  pause(owner: string, until: number): void {
    if (!(until > this.clock)) broken(`pause of ${owner} ends at ${until}, not after now (${this.clock})`);
    this.pausedUntil.set(owner, Math.max(until, this.pausedUntil.get(owner) ?? 0));
  }

  isPaused(owner: string): boolean {
    return (this.pausedUntil.get(owner) ?? 0) > this.clock;
  }

  private effectiveReadyAt(step: Step): number {
    if (step.owner === null || this.pausedUntil.size === 0) return step.readyAt;
    const paused = this.pausedUntil.get(step.owner);
    return paused === undefined ? step.readyAt : Math.max(step.readyAt, paused);
  }

  /**
   * Heads of every source ready within `windowMs` of now, in creation order (the order replay decisions index).
   * A window wider than zero lets the strategy order steps a few milliseconds apart either way, as jitter in
   * real latencies would.
   */
  enabled(windowMs = 0): Step[] {
    const ready: Step[] = [];
    const horizon = this.clock + windowMs;
    for (const queue of this.sources.values()) {
      const head = queue[0];
      if (head === undefined || this.effectiveReadyAt(head) > horizon) continue;
      // Inserted in place: a handful of heads, and Array.prototype.sort copies its array on every call.
      let at = ready.length;
      while (at > 0 && (ready[at - 1] as Step).id > head.id) {
        ready[at] = ready[at - 1] as Step;
        at--;
      }
      ready[at] = head;
    }
    return ready;
  }

  /** Whether a step of `source` is pending. */
  pendingOn(source: string): boolean {
    return this.sources.has(source);
  }

  /** Whether the oldest pending step of `source` is due within `windowMs` of now (its owner not paused). */
  headReady(source: string, windowMs: number): boolean {
    const head = this.sources.get(source)?.[0];
    return head !== undefined && this.effectiveReadyAt(head) <= this.clock + windowMs;
  }

  /** When a chosen step was due later than now, time moves to it; a step run later than due ran late. */
  advanceTo(step: Step): void {
    const due = this.effectiveReadyAt(step);
    if (due > this.clock) this.clock = due;
  }

  /**
   * Due times in [from, to] of pending client actions and timers (HTTP timeouts too) outside `lane` (channel by channel, in a fixed
   * order): the instants a player's action can be made to coincide with.
   */
  anchorsBetween(from: number, to: number, lane: string): number[] {
    const times: number[] = [];
    for (const queue of this.sources.values()) {
      for (const step of queue) {
        if ((step.kind === "client" || step.kind === "timer" || step.kind === "http-timeout") && step.lane !== lane && step.readyAt >= from && step.readyAt <= to) {
          times.push(step.readyAt);
        }
      }
    }
    return times;
  }

  /** Earliest time a head (of those `accept` allows) becomes ready, or null when none is pending. */
  nextReadyTime(accept?: (step: Step) => boolean): number | null {
    let earliest: number | null = null;
    for (const queue of this.sources.values()) {
      const head = queue[0];
      if (!head || (accept && !accept(head))) continue;
      const at = this.effectiveReadyAt(head);
      if (earliest === null || at < earliest) earliest = at;
    }
    return earliest;
  }

  /** The chain the steps added now belong to: the running step's, or the running step itself when it starts one. */
  private trigger(): Step | null {
    const running = this.running;
    if (running === null) return null;
    return CONTINUING_KINDS.has(running.kind) ? (running.trigger ?? running) : running;
  }

  /** No step's code runs any more: what is added now is the world's own doing. */
  idle(): void {
    this.running = null;
  }

  /** Removes a step the scheduler chose, before it runs: the steps added from now on are its doing. */
  take(step: Step): void {
    if (step.available !== null) {
      const index = this.options.indexOf(step);
      if (index < 0) broken(`option ${step.id} is not on offer`);
      this.options.splice(index, 1);
      this.running = step;
      return;
    }
    const queue = this.sources.get(step.source);
    if (queue === undefined || queue[0] !== step) broken(`step ${step.id} is not the head of ${step.source}`);
    queue.shift();
    this.count--;
    this.kinds[step.kind]--;
    if (queue.length === 0) this.sources.delete(step.source);
    this.running = step;
  }
}
