import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import type { Violation } from "../oracle/invariants.ts";
import { Causes } from "../trace/causes.ts";
import { CONTINUING_KINDS, type CloseEvent } from "../trace/events.ts";
import { eventPlayer, frameSession } from "../trace/facts.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { appliedWrite } from "../report/trace-graph.ts";
import { KITS, type VariantKit } from "../variants/index.ts";

/** The lane of an instance's own steps, before its id. */
const INSTANCE_LANE = "instance:";

/** Fault kinds whose strike writes every key at once (empties Redis, or puts back an older copy of it). */
const WIPES: ReadonlySet<string> = new Set(["redis-restart", "redis-rollback"]);

/** How many reads-from hops the slice follows back from the focus: enough for "who wrote what this read". */
const READS_FROM_DEPTH = 2;

export interface CausalSlice {
  /** The steps that made the violating state: the last writes to its keys and to its players' records. */
  focus: TraceStep[];
  /**
   * The focus and everything it depends on (causes back to each handler's start, the writers of what they
   * read), and every step of the handlers the violation's players set going themselves (their frames and
   * closes): what they asked for and did not get leaves no write behind, but its handler's steps say why.
   */
  steps: TraceStep[];
}

/** The id a key ends with: `loading:<sid>`, `lock:loading:<sid>`, `queue:<mode>`. */
export function keyId(key: string): string {
  return key.slice(key.lastIndexOf(":") + 1);
}

/** The last index in ascending `indices` that is at most `until`, or -1. */
function lastAtMost(indices: readonly number[], until: number): number {
  let low = 0;
  let high = indices.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((indices[middle] as number) <= until) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? -1 : (indices[low - 1] as number);
}

/**
 * What slicing needs of a trace, indexed once for all its violations: causes, each key's writers, each
 * player's writes, messages and own handlers.
 */
export class SliceIndex {
  readonly causes: Causes;
  private readonly kit: VariantKit;
  private readonly config: MatchConfig;
  private readonly writers = new Map<string, number[]>();
  private readonly writesNaming = new Map<string, number[]>();
  /** Per player, the writes whose reply named it. */
  private readonly takesNaming = new Map<string, number[]>();
  private readonly messagesTo = new Map<string, number[]>();
  private readonly ownHandlers = new Map<string, number[]>();
  /** Per id a key ends with (`loading:<sid>`, `lock:loading:<sid>`: `<sid>`), the commands that named such a key. */
  private readonly commandsOnId = new Map<string, number[]>();
  /** Closes a timer's handler made, by the timer step's id. */
  private readonly closesBy = new Map<number, CloseEvent>();
  /** Per player, the frames it sent: where and on which connection. */
  private readonly framesFrom = new Map<string, Array<{ i: number; connection: string }>>();
  /** Per player, the steps of `writesNaming` as a set. */
  private readonly namingSets = new Map<string, Set<number>>();
  /** Ids of the steps whose code made another step. */
  private readonly parents = new Set<number>();
  /** Per handler (its starting step's id), its last step. */
  private readonly handlerEnds = new Map<number, number>();
  /** Per instance, the steps of its own lane; and the crashes that struck it. */
  private readonly laneSteps = new Map<string, number[]>();
  private readonly crashes = new Map<string, number[]>();
  /** Faults that wrote every key at once (a restart that emptied Redis). */
  private readonly wipes: number[] = [];

  constructor(private readonly trace: Trace) {
    this.causes = new Causes(trace);
    this.kit = KITS[trace.server];
    this.config = { ...DEFAULT_CONFIG, ...trace.options.config };
    const players = new Set<string>();
    for (const step of trace.steps) {
      const player = eventPlayer(step.event);
      if (player !== null) players.add(player);
    }
    const push = (map: Map<string, number[]>, key: string, index: number) => {
      const list = map.get(key);
      if (list === undefined) map.set(key, [index]);
      else if (list.at(-1) !== index) list.push(index);
    };
    for (const step of trace.steps) {
      const event = step.event;
      if (event.kind === "redis") for (const key of new Set([...event.keys, ...event.reads, ...event.writes])) push(this.commandsOnId, keyId(key), step.i);
      if (event.kind === "redis" && event.outcome !== "lost-before" && event.writes.length > 0) {
        for (const key of event.writes) push(this.writers, key, step.i);
        for (const text of [...event.keys, ...event.args]) {
          if (typeof text !== "string") continue;
          const id = players.has(text) ? text : text.slice(text.lastIndexOf(":") + 1);
          if (players.has(id)) push(this.writesNaming, id, step.i);
        }
        // A write that answers with players took them somewhere (a script popping them from a queue).
        if (Array.isArray(event.reply)) for (const item of event.reply) if (typeof item === "string" && players.has(item)) push(this.takesNaming, item, step.i);
      } else if (event.kind === "frame-in") {
        const frames = this.framesFrom.get(event.player);
        if (frames === undefined) this.framesFrom.set(event.player, [{ i: step.i, connection: event.connection }]);
        else frames.push({ i: step.i, connection: event.connection });
      } else if (event.kind === "frame-out") {
        push(this.messagesTo, event.player, step.i);
      } else if (event.kind === "fault" && WIPES.has(event.fault)) {
        this.wipes.push(step.i);
      }
      const root = CONTINUING_KINDS.has(event.kind) ? this.causes.root(step) : step;
      if (root.event.kind === "frame-in" || root.event.kind === "close") push(this.ownHandlers, root.event.player, step.i);
      if (step.cause !== null) this.parents.add(step.cause);
      if (event.kind === "close" && step.cause !== null) this.closesBy.set(step.cause, event);
      this.handlerEnds.set(root.id, step.i);
      if (step.lane.startsWith(INSTANCE_LANE)) push(this.laneSteps, step.lane.slice(INSTANCE_LANE.length), step.i);
      if (event.kind === "fault" && event.fault === "crash") push(this.crashes, event.target, step.i);
    }
    for (const [player, indices] of this.writesNaming) this.namingSets.set(player, new Set(indices));
  }

  /** The step at `index`, clamped to the trace; null for an empty trace. */
  step(index: number): TraceStep | null {
    return this.at(Math.min(index, this.lastStep));
  }

  get lastStep(): number {
    return this.trace.steps.length - 1;
  }

  private at(index: number): TraceStep | null {
    return index < 0 ? null : (this.trace.steps[index] ?? null);
  }

  /** The last step at or before `until` that wrote `key`: a command, or a wipe of every key. */
  lastWriter(key: string, until: number): TraceStep | null {
    return this.at(Math.max(lastAtMost(this.writers.get(key) ?? [], until), lastAtMost(this.wipes, until)));
  }

  /** The last wipe at or before `until`: what a walk over the whole keyspace read last. */
  lastWipe(until: number): TraceStep | null {
    return this.at(lastAtMost(this.wipes, until));
  }

  /**
   * The last step at or before `until` that wrote something naming the player, or took it somewhere (its reply
   * named it): a command, or a wipe of every key.
   */
  lastWriteNaming(player: string, until: number): TraceStep | null {
    const named = Math.max(lastAtMost(this.writesNaming.get(player) ?? [], until), lastAtMost(this.takesNaming.get(player) ?? [], until));
    return this.at(Math.max(named, lastAtMost(this.wipes, until)));
  }

  /** The last step at or before `until` that wrote `key` and named the player. */
  lastWriteOfNaming(key: string, player: string, until: number): TraceStep | null {
    const naming = this.namingSets.get(player);
    const writers = this.writers.get(key) ?? [];
    if (naming === undefined) return null;
    for (let k = writers.length - 1; k >= 0; k--) {
      const index = writers[k] as number;
      if (index <= until && naming.has(index)) return this.at(index);
    }
    return null;
  }

  /** Whether the player's own frame or close started the handler the step belongs to. */
  startedBy(step: TraceStep, player: string): boolean {
    const root = this.causes.root(step).event;
    return (root.kind === "frame-in" || root.kind === "close") && root.player === player;
  }

  /** The last applied write at or before `until` of a key ending with the id, locks aside, or a wipe of every key. */
  lastWriteOn(id: string, until: number): TraceStep | null {
    let last = lastAtMost(this.wipes, until);
    for (const step of this.commandsOn(id, until)) {
      const event = step.event;
      if (appliedWrite(event) && event.writes.some((key) => keyId(key) === id && !this.kit.lockKey(key))) last = step.i;
    }
    return this.at(last);
  }

  /** The commands up to `until` that named a key ending with the id, a lock's included. */
  commandsOn(id: string, until: number): TraceStep[] {
    const indices = this.commandsOnId.get(id) ?? [];
    const end = lastAtMost(indices, until);
    return indices.filter((index) => index <= end).map((index) => this.trace.steps[index] as TraceStep);
  }

  /** Whether a player's frame or close started the handler the step belongs to. */
  playerStarted(step: TraceStep): boolean {
    const root = this.causes.root(step).event.kind;
    return root === "frame-in" || root === "close";
  }

  /** Whether a handler the player set going applied a write after step `after`, up to `until`. */
  wroteSince(player: string, after: number, until: number): boolean {
    return this.handlersOf(player, until).some((step) => step.i > after && appliedWrite(step.event));
  }

  /**
   * Whether a close started the step's handler on a connection its player had replaced: the player had sent a
   * frame on another connection since its last frame on this one.
   */
  closedReplaced(step: TraceStep): boolean {
    const start = this.causes.root(step);
    // A server that gives up on a silent socket closes it from a timer, whose handler the close is a step of.
    const root = start.event.kind === "close" ? start.event : this.closesBy.get(start.id);
    if (root === undefined) return false;
    const frames = this.framesFrom.get(root.player) ?? [];
    const last = frames.findLast((frame) => frame.i < step.i);
    return last !== undefined && last.connection !== root.connection && frames.some((frame) => frame.i < last.i && frame.connection === root.connection);
  }

  /** Whether nothing followed from the step: its handler went no further. */
  childless(step: TraceStep): boolean {
    return !this.parents.has(step.id);
  }

  /**
   * The crash, at or before `until`, that cut short the handler a step of an instance belongs to: the first
   * crash of that instance after the handler's last step, with no step of the instance's in between (it struck
   * while that handler waited on Redis). Null when the handler ran to its end as far as the trace tells.
   */
  crashCut(step: TraceStep, until: number): TraceStep | null {
    // The lane names the instance by its slot, as a crash does; a command's client names its incarnation.
    if (step.event.kind !== "redis" || !step.lane.startsWith(INSTANCE_LANE)) return null;
    const instance = step.lane.slice(INSTANCE_LANE.length);
    const end = this.handlerEnds.get(this.causes.root(step).id) ?? step.i;
    const crash = (this.crashes.get(instance) ?? []).find((index) => index > end);
    if (crash === undefined || crash > until) return null;
    const next = (this.laneSteps.get(instance) ?? []).find((index) => index > end);
    return next === undefined || next > crash ? this.at(crash) : null;
  }

  lastMessageTo(player: string, until: number): TraceStep | null {
    return this.at(lastAtMost(this.messagesTo.get(player) ?? [], until));
  }

  /** The steps of handlers the player's own frames and closes started, up to `until`. */
  handlersOf(player: string, until: number): TraceStep[] {
    const indices = this.ownHandlers.get(player) ?? [];
    const end = lastAtMost(indices, until);
    return indices.filter((index) => index <= end).map((index) => this.trace.steps[index] as TraceStep);
  }

  /** Whether a key is a lock's. */
  lockKey(key: string): boolean {
    return this.kit.lockKey(key);
  }

  /** Keys nearly every handler touches are not followed: naming them says nothing about one failure. */
  followed(key: string): boolean {
    return !this.kit.sharedKey(key, this.config);
  }
}

/**
 * A step and its causes back to the start of its handler (a frame, a close, a timer, a delivery, a fault) and
 * what made that start (the player's action behind a frame, the crash behind a reset): no further, as every
 * step's cause has a cause of its own back to the beginning of the run.
 */
export function handlerChain(start: TraceStep, causes: Causes): TraceStep[] {
  const chain: TraceStep[] = [];
  let step: TraceStep | null = start;
  while (step !== null && CONTINUING_KINDS.has(step.event.kind)) {
    chain.push(step);
    step = causes.of(step);
  }
  if (step !== null) {
    chain.push(step);
    const before = causes.of(step);
    if (before !== null) chain.push(before);
  }
  return chain;
}

/**
 * The causal slice of a violation: from its focus, back along each step's cause to the start of its handler,
 * and from each command to the last writers of the keys it read (keys every handler touches excepted), a couple
 * of hops deep; and the handlers its players started themselves. What is not in it did not lead to the
 * violation.
 */
export function causalSlice(trace: Trace, violation: Violation, index: SliceIndex = new SliceIndex(trace)): CausalSlice {
  const until = Math.min(violation.step, trace.steps.length - 1);
  const focus = new Set<TraceStep>();
  for (const key of violation.keys) {
    const writer = index.lastWriter(key, until);
    if (writer) focus.add(writer);
  }
  for (const player of violation.players) {
    const wrote = index.lastWriteNaming(player, until);
    if (wrote) focus.add(wrote);
    const told = index.lastMessageTo(player, until);
    if (told) focus.add(told);
    // What the player was last told it is in: its end, when it ended, is what left the player nowhere.
    const session = told?.event.kind === "frame-out" ? frameSession(told.event) : null;
    const ended = session === null ? null : index.lastWriteOn(session, until);
    if (ended) focus.add(ended);
  }
  const inSlice = new Set<TraceStep>();
  let frontier = [...focus];
  for (let depth = 0; depth <= READS_FROM_DEPTH && frontier.length > 0; depth++) {
    const next: TraceStep[] = [];
    for (const start of frontier) {
      for (const step of handlerChain(start, index.causes)) {
        if (inSlice.has(step)) continue;
        inSlice.add(step);
        if (step.event.kind !== "redis") continue;
        const wipe = step.event.readsAll ? index.lastWipe(step.i - 1) : null;
        if (wipe && !inSlice.has(wipe)) next.push(wipe);
        for (const key of step.event.reads) {
          if (!index.followed(key)) continue;
          const writer = index.lastWriter(key, step.i - 1);
          if (writer && !inSlice.has(writer)) next.push(writer);
        }
      }
    }
    frontier = next;
  }
  for (const player of violation.players) for (const step of index.handlersOf(player, until)) inSlice.add(step);
  const byIndex = (a: TraceStep, b: TraceStep) => a.i - b.i;
  return { focus: [...focus].sort(byIndex), steps: [...inSlice].sort(byIndex) };
}
