import { createHash } from "node:crypto";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import type { Violation } from "../oracle/invariants.ts";
import { Causes } from "../trace/causes.ts";
import { CONTINUING_KINDS, type StepEvent } from "../trace/events.ts";
import { isRedisFailure, isRefusedLock, serverMessage } from "../trace/facts.ts";
import { eventShape, withoutIds } from "../trace/shape.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { causalSlice, SliceIndex, type CausalSlice } from "./causal-slice.ts";

/** One root cause's name across runs: the same whatever the seed, ids, timings and schedule. */
export interface Signature {
  /** 12 hex digits: what `--baseline` files and `--json` compare. */
  id: string;
  invariant: string;
  /** The violation's message with ids, numbers, modes and behaviours taken out. */
  template: string;
  /**
   * What made the violating state (`made by ...`: the handlers whose writes and messages the check saw) and the
   * abnormal steps that led there (a refused lock, a lost command, a fault...), each with its handler.
   */
  features: string[];
  /** One line for people. */
  summary: string;
}

/** Parenthesised words in a message (a player's behaviour): who it happened to, not what happened. */
const ASIDE = /\s*\([a-z-]+\)/g;

/** Game mode names are the world's choice, not the bug's: a ghost in one mode's queue is a ghost in any. */
function withoutModes(text: string, modes: readonly string[]): string {
  let out = text;
  for (const mode of modes) out = out.split(mode).join("<mode>");
  return out;
}

/** The message with everything that differs from run to run taken out. */
export function messageTemplate(message: string, modes: readonly string[] = []): string {
  return withoutModes(withoutIds(message), modes)
    .replace(ASIDE, "")
    .replace(/(?:#(?:, |,)?)+#/g, "#")
    .replace(/\s+/g, " ")
    .trim();
}

/** A step that did not go as its sender meant, or that struck from outside: a reason for what went wrong. */
function abnormal(event: StepEvent): boolean {
  switch (event.kind) {
    case "redis":
      return isRefusedLock(event) || isRedisFailure(event);
    case "fault":
      return event.fault !== "restart";
    case "http-request":
      return event.outcome !== "handled";
    case "http-reply":
      return event.late || event.status < 200 || event.status >= 300;
    case "http-timeout":
      return true;
    default:
      return false;
  }
}

/**
 * A lock a periodic job found taken: the job skips a round and comes again, as designed (two instances' match
 * ticks meet at every round). Not a cause.
 */
function routine(step: TraceStep, causes: Causes): boolean {
  if (!isRefusedLock(step.event)) return false;
  return causes.root(step).event.kind === "timer";
}

/** What a step did, coarsely: the command or script and how it fared, the message type, the fault. */
function what(event: StepEvent): string {
  if (isRefusedLock(event)) return "lock refused";
  if (event.kind === "redis") return `${event.script ?? event.command} ${event.outcome}`;
  if (event.kind === "frame-out") {
    const message = serverMessage(event);
    return `sent ${message === null ? "garbage" : message.type === "error" ? `error "${withoutIds(message.message)}"` : message.type}${event.dropped ? " (dropped)" : ""}`;
  }
  if (event.kind === "fault") return `fault ${event.fault}`;
  return eventShape(event);
}

/** The handler a step belongs to, as what started it: `frame-in loading_complete`, `timer sweep`, `close by client`. */
function handlerOf(step: TraceStep, causes: Causes, modes: readonly string[]): string {
  let start: TraceStep | null = step;
  if (CONTINUING_KINDS.has(step.event.kind)) start = causes.root(step);
  else if (step.event.kind === "frame-out" || step.event.kind === "deliver") start = causes.of(step) && causes.root(causes.of(step) as TraceStep);
  if (start === null || start === step) return step.event.kind === "fault" ? "world" : withoutModes(eventShape(step.event), modes);
  const shape = start.event.kind === "close" ? `close by ${start.event.by}` : eventShape(start.event);
  return withoutModes(shape, modes);
}

/**
 * The signatures of every violation of a trace, in their order. A violation whose state was made by steps that
 * lead to an earlier violation is that earlier one's consequence, and takes its signature: one bug seen by
 * several checks is one bug. The trace is indexed once for all.
 */
export function signaturesOf(trace: Trace): Signature[] {
  const index = new SliceIndex(trace);
  const clusters: Array<{ steps: Set<TraceStep>; signature: Signature }> = [];
  return trace.violations.map((violation) => {
    const slice = causalSlice(trace, violation, index);
    const earlier = clusters.find((cluster) => slice.focus.some((step) => cluster.steps.has(step)));
    if (earlier) {
      for (const step of slice.steps) earlier.steps.add(step);
      return earlier.signature;
    }
    const signature = signatureFrom(trace, violation, slice, index);
    clusters.push({ steps: new Set(slice.steps), signature });
    return signature;
  });
}

/** The signature of one violation of a trace, as `signaturesOf` gives it. */
export function signatureOf(trace: Trace, violation: Violation): Signature {
  const at = trace.violations.indexOf(violation);
  return at >= 0 ? (signaturesOf(trace)[at] as Signature) : signatureFrom(trace, violation, causalSlice(trace, violation), new SliceIndex(trace));
}

function signatureFrom(trace: Trace, violation: Violation, slice: CausalSlice, index: SliceIndex): Signature {
  const causes = index.causes;
  const modes = ({ ...DEFAULT_CONFIG, ...trace.options.config }.gameModes ?? []).map((mode) => mode.name);
  const template = violation.kind ?? messageTemplate(violation.message, modes);
  // The first thing in the slice that did not go as meant is the bug, whatever the check that caught it: a run
  // that loses one reply breaks several invariants, all of them that one bug. Without one, the bug is the way
  // the invariant broke and the handler whose write made the state the check saw.
  const first = slice.steps.find((step) => abnormal(step.event) && !routine(step, causes));
  if (first) {
    const cause = `${handlerOf(first, causes, modes)} > ${withoutModes(what(first.event), modes)}`;
    const id = createHash("sha1").update(JSON.stringify(["after", cause])).digest("hex").slice(0, 12);
    return { id, invariant: violation.invariant, template, features: [`after ${cause}`], summary: `after ${cause}: ${violation.invariant} (${template})` };
  }
  const writes = slice.focus.filter((step) => step.event.kind === "redis");
  const maker = writes.at(-1) ?? slice.focus.at(-1);
  const features = maker ? [`made by ${handlerOf(maker, causes, modes)} > ${withoutModes(what(maker.event), modes)}`] : [];
  const id = createHash("sha1").update(JSON.stringify([violation.invariant, template, features])).digest("hex").slice(0, 12);
  const summary = `${violation.invariant}: ${template}${features.length > 0 ? ` [${features.join("; ")}]` : ""}`;
  return { id, invariant: violation.invariant, template, features, summary };
}
