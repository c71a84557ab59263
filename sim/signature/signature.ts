import { createHash } from "node:crypto";
import type { Violation } from "../oracle/invariants.ts";
import { involvement } from "../report/involvement.ts";
import { Causes } from "../trace/causes.ts";
import { isRedisFailure, isRefusedLock, serverMessage } from "../trace/facts.ts";
import { eventShape, withoutIds } from "../trace/shape.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";

/** One root cause's name across runs: the same whatever the seed, ids, timings and schedule. */
export interface Signature {
  /** 12 hex digits: what `--baseline` files and `--json` compare. */
  id: string;
  invariant: string;
  /** The violation's message with ids, numbers and behaviours taken out. */
  template: string;
  /** The abnormal things that happened on the way, each as the handler that met it and what it met. */
  features: string[];
  /** One line for people: the invariant, the template, the features. */
  summary: string;
}

/** Parenthesised words in a message (a player's behaviour): who it happened to, not what happened. */
const ASIDE = /\s*\([a-z-]+\)/g;

/** The message with everything that differs from run to run taken out. */
export function messageTemplate(message: string): string {
  return withoutIds(message).replace(ASIDE, "").replace(/(?:#(?:, |,)?)+#/g, "#").replace(/\s+/g, " ").trim();
}

/**
 * A step that did not go as its sender meant, or that struck from outside: a refused lock, a failed or lost
 * command, a fault, a failed or late HTTP exchange, a dropped frame, an error told to a player.
 */
function abnormal(step: TraceStep): boolean {
  const event = step.event;
  switch (event.kind) {
    case "redis":
      return isRefusedLock(event) || isRedisFailure(event);
    case "fault":
      return true;
    case "http-request":
      return event.outcome !== "handled";
    case "http-reply":
      return event.late || event.status < 200 || event.status >= 300;
    case "http-timeout":
      return true;
    case "frame-in":
    case "frame-out":
      return event.dropped || serverMessage(event)?.type === "error";
    default:
      return false;
  }
}

/** What started the handler a step belongs to, as a shape: `frame-in loading_complete`, `timer tick:#`... */
function handlerOf(step: TraceStep, causes: Causes): string {
  const start = step.event.kind === "redis" || step.event.kind.startsWith("http") ? causes.root(step) : causes.of(step);
  return start === null || start === step ? "world" : eventShape(start.event);
}

function feature(step: TraceStep, causes: Causes): string {
  const what = isRefusedLock(step.event) ? "lock refused" : eventShape(step.event);
  return `${handlerOf(step, causes)} > ${what}`;
}

/** The signature of one violation of a trace. */
export function signatureOf(trace: Trace, violation: Violation): Signature {
  const causes = new Causes(trace);
  const involved = involvement(trace, violation);
  const features = new Set<string>();
  for (const index of involved.steps) {
    const step = trace.steps[index];
    if (step !== undefined && abnormal(step)) features.add(feature(step, causes));
  }
  const sorted = [...features].sort();
  const template = messageTemplate(violation.message);
  const id = createHash("sha1").update(JSON.stringify([violation.invariant, template, sorted])).digest("hex").slice(0, 12);
  const summary = `${violation.invariant}: ${template}${sorted.length > 0 ? ` [${sorted.join("; ")}]` : ""}`;
  return { id, invariant: violation.invariant, template, features: sorted, summary };
}
