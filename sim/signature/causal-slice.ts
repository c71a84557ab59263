import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import type { Violation } from "../oracle/invariants.ts";
import { Causes } from "../trace/causes.ts";
import { CONTINUING_KINDS } from "../trace/events.ts";
import { eventData, eventPlayer, idsPattern } from "../trace/facts.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { KITS } from "../variants/index.ts";

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

/** The last step at or before `until` that wrote `key`. */
function lastWriter(trace: Trace, key: string, until: number): TraceStep | null {
  for (let i = Math.min(until, trace.steps.length - 1); i >= 0; i--) {
    const step = trace.steps[i] as TraceStep;
    if (step.event.kind === "redis" && step.event.outcome !== "lost-before" && step.event.writes.includes(key)) return step;
  }
  return null;
}

/**
 * The steps that put the violation's keys and players where the check found them: per key, its last writer; per
 * player, the last command that wrote something naming it and the last message it was sent.
 */
function focusOf(trace: Trace, violation: Violation): TraceStep[] {
  const until = Math.min(violation.step, trace.steps.length - 1);
  const focus = new Set<TraceStep>();
  for (const key of violation.keys) {
    const writer = lastWriter(trace, key, until);
    if (writer) focus.add(writer);
  }
  for (const player of violation.players) {
    const mentions = idsPattern([player]);
    let wrote = false;
    let told = false;
    for (let i = until; i >= 0 && !(wrote && told); i--) {
      const step = trace.steps[i] as TraceStep;
      const event = step.event;
      if (!wrote && event.kind === "redis" && event.writes.length > 0 && event.outcome !== "lost-before" && mentions?.test(eventData(event))) {
        focus.add(step);
        wrote = true;
      } else if (!told && event.kind === "frame-out" && eventPlayer(event) === player) {
        focus.add(step);
        told = true;
      }
    }
  }
  return [...focus].sort((a, b) => a.i - b.i);
}

/**
 * A step and its causes back to the start of its handler (a frame, a close, a timer, a delivery, a fault) and
 * what made that start (the player's action behind a frame, the crash behind a reset): no further, as every
 * step's cause has a cause of its own back to the beginning of the run.
 */
function handlerChain(start: TraceStep, causes: Causes): TraceStep[] {
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
 * of hops deep. What is not in it did not lead to the violation.
 */
export function causalSlice(trace: Trace, violation: Violation): CausalSlice {
  const causes = new Causes(trace);
  const kit = KITS[trace.server];
  const config = { ...DEFAULT_CONFIG, ...trace.options.config };
  const focus = focusOf(trace, violation);
  const inSlice = new Set<TraceStep>();
  let frontier = focus;
  for (let depth = 0; depth <= READS_FROM_DEPTH && frontier.length > 0; depth++) {
    const next: TraceStep[] = [];
    for (const start of frontier) {
      for (const step of handlerChain(start, causes)) {
        if (inSlice.has(step)) continue;
        inSlice.add(step);
        if (step.event.kind !== "redis") continue;
        for (const key of step.event.reads) {
          if (kit.sharedKey(key, config)) continue;
          const writer = lastWriter(trace, key, step.i - 1);
          if (writer && !inSlice.has(writer)) next.push(writer);
        }
      }
    }
    frontier = next;
  }
  const players = new Set(violation.players);
  for (const step of trace.steps.slice(0, Math.min(violation.step, trace.steps.length - 1) + 1)) {
    const root = CONTINUING_KINDS.has(step.event.kind) ? causes.root(step) : step;
    const event = root.event;
    if ((event.kind === "frame-in" || event.kind === "close") && players.has(event.player)) inSlice.add(step);
  }
  return { focus, steps: [...inSlice].sort((a, b) => a.i - b.i) };
}
