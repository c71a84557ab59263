import { meaningOf, type Violation } from "../oracle/invariants.ts";
import { isRedisFailure, isRefusedLock, isScriptCacheMiss, serverMessage } from "../trace/facts.ts";
import { eventShape, wordingShape } from "../trace/shape.ts";
import { KITS, type VariantKit } from "../variants/index.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { gaveUpAt } from "./fate.ts";
import { fromSlice } from "./involvement.ts";
import { causalSlice, clampStep, foundAfterRun, type Because, type Slice } from "./slice.ts";
import { describeStep, isAcquisition } from "./step-story.ts";
import { abbreviateIds, seconds } from "./text.ts";
import { TraceGraph } from "./trace-graph.ts";

/** Steps told before the violation itself. */
const STORY_STEPS = 9;

/** How much a step tells about a failure: refusals, failures and departures most; plumbing (deliveries, timers) not at all. */
function weight(step: TraceStep, graph: TraceGraph, kit: VariantKit): number {
  const event = step.event;
  switch (event.kind) {
    case "redis": {
      if (isScriptCacheMiss(event)) return 0;
      if (isRefusedLock(event) || isRedisFailure(event)) return 10;
      // Taking and releasing locks is plumbing; a lock matters when it held someone off (see bonus).
      if (isAcquisition(event)) return 1;
      if (event.writes.length > 0 && event.writes.every((key) => kit.lockKey(key))) return 0;
      if (event.script !== null) {
        const empty = event.reply === null || event.reply === 0 || (Array.isArray(event.reply) && event.reply.length === 0);
        return empty ? 4 : 6;
      }
      if (event.command === "PUBLISH") return 0;
      return event.writes.length > 0 ? 5 : 2;
    }
    case "fault":
      return 9;
    case "close":
      return 10;
    case "http-reply":
      return event.status >= 200 && event.status < 300 && !event.late ? 3 : 8;
    case "http-timeout":
      return 8;
    case "http-request":
      return event.outcome === "handled" ? 3 : 8;
    case "frame-in":
      return gaveUpAt(graph, step.i) !== null || event.dropped ? 10 : 6;
    case "frame-out": {
      const message = serverMessage(event);
      return message?.type === "error" ? 7 : message?.type === "queued" ? 1 : 4;
    }
    case "client":
    case "deliver":
    case "timer":
      return 0;
  }
}

/** What a step's place in the slice adds: the evidence and a lock's holder are the story's spine. */
function bonus(because: Because | undefined): number {
  switch (because?.why) {
    case "held":
      return 9;
    case "evidence":
      return 2;
    default:
      return 0;
  }
}

export interface StoryLine {
  step: number;
  /** Virtual ms. */
  t: number;
  text: string;
}

/** A violation told: who and what, the key steps of its cause in order, and how it was found. */
export interface Story {
  headline: string;
  lines: StoryLine[];
  end: string;
}

/** Picks the steps worth telling from the causal slice: informative, no two alike, at most STORY_STEPS, in trace order. */
function chooseSteps(trace: Trace, steps: readonly number[], because: Map<number, Because>, graph: TraceGraph, violating: number | null): TraceStep[] {
  const kit = KITS[trace.server];
  const scored = new Map<string, { step: TraceStep; score: number }>();
  for (const index of steps) {
    const step = trace.steps[index];
    if (step === undefined || index === violating) continue;
    const score = weight(step, graph, kit) + bonus(because.get(index));
    if (score <= 1) continue;
    // Steps that differ only in ids and tokens say the same thing twice, and so do a player's frames of one
    // type and the messages of one type sent to players: the story keeps the best of them.
    const event = step.event;
    const key = event.kind === "frame-out" ? eventShape(event) : `${step.lane}|${event.kind === "frame-in" ? eventShape(event) : wordingShape(event)}`;
    const seen = scored.get(key);
    if (!seen || score > seen.score) scored.set(key, { step, score });
  }
  return [...scored.values()]
    .sort((a, b) => b.score - a.score || b.step.i - a.step.i)
    .slice(0, STORY_STEPS)
    .map((entry) => entry.step)
    .sort((a, b) => a.i - b.i);
}

/** The violation as a story: built on its causal slice, each step told with what the trace's graph knows. */
export function violationStory(trace: Trace, violation: Violation, graph = new TraceGraph(trace), slice: Slice = causalSlice(trace, violation, graph)): Story {
  const involved = fromSlice(trace, violation, slice);
  const players = involved.players.map((p) => abbreviateIds(p));
  const who = players.length > 0 ? ` for player${players.length > 1 ? "s" : ""} ${players.join(", ")}` : "";
  const keys = violation.keys.length > 0 ? ` on ${violation.keys.map((k) => abbreviateIds(k)).join(", ")}` : "";
  const headline = `${violation.invariant} (${meaningOf(violation.invariant)}) was violated${who}${keys}`;
  const lines = chooseSteps(trace, slice.steps, slice.because, graph, slice.violating).map((step) => ({ step: step.i, t: step.t, text: describeStep(step, graph) }));
  const step = clampStep(trace, violation.step);
  const message = abbreviateIds(violation.message);
  const end = foundAfterRun(trace, violation)
    ? `at ${seconds(violation.at)}, after the last step (step ${step}), the end-of-run check failed: ${message}`
    : `at ${seconds(violation.at)} (step ${step}) ${describeStep(trace.steps[step] as TraceStep, graph)}, and the check failed: ${message}`;
  return { headline, lines, end };
}

/**
 * The story as terminal lines: the headline, then one numbered, aligned line per key step ("2.  11.000 s  step 84
 * i2 took lock:loading:3ad30902"), then how the violation was found.
 */
export function storyLines(story: Story): string[] {
  const times = story.lines.map((line) => seconds(line.t));
  const steps = story.lines.map((line) => `step ${line.step}`);
  const timeWidth = Math.max(0, ...times.map((text) => text.length));
  const stepWidth = Math.max(0, ...steps.map((text) => text.length));
  const numberWidth = String(story.lines.length).length + 1;
  const told = story.lines.map(
    (line, k) => `${`${k + 1}.`.padStart(numberWidth)}  ${(times[k] as string).padStart(timeWidth)}  ${(steps[k] as string).padEnd(stepWidth)}  ${line.text}`,
  );
  return [`${story.headline}:`, ...told, `${story.lines.length > 0 ? "then " : ""}${story.end}.`];
}
