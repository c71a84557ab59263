import { describeReply, stepDetail, stepLabel } from "./describe.ts";
import type { StepEvent } from "./events.ts";
import { clientFrame, serverMessage } from "./facts.ts";

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_TOKEN = /\b[0-9a-f]{16,}\b/gi;
/** Connection, instance, incarnation, server and junk ids, and plain numbers (times, counts, scores). */
const SMALL_IDS = /\b(?:c\d+|i\d+(?:\.\d+)?|ds\d+|junk-\d+|player-\d+|\d+)\b/g;

/** Text with every id and number replaced by `#`: what stays the same when only ids, times and counts differ. */
export function withoutIds(text: string): string {
  return text.replace(UUID, "#").replace(HEX_TOKEN, "#").replace(SMALL_IDS, "#");
}

const REPLY_SHAPE = 60;

/**
 * What a step did with its ids, times and counts taken out: two steps of the same shape did the same thing to
 * different players or at different times. Built from the event's fields.
 */
export function eventShape(event: StepEvent): string {
  switch (event.kind) {
    case "redis": {
      const what = event.script ?? event.command;
      const reply = event.outcome === "error" ? withoutIds(event.error ?? "") : withoutIds(describeReply(event.reply)).slice(0, REPLY_SHAPE);
      return `redis ${what} ${event.outcome} ${reply}`;
    }
    case "deliver":
      return "deliver";
    case "frame-in": {
      const frame = clientFrame(event);
      return `frame-in ${frame === null ? "malformed" : frame.type}${event.dropped ? " dropped" : ""}`;
    }
    case "frame-out": {
      const message = serverMessage(event);
      const text = message?.type === "error" ? ` "${withoutIds(message.message)}"` : "";
      return `frame-out ${message === null ? "malformed" : message.type}${text}${event.dropped ? " dropped" : ""}`;
    }
    case "close":
      return `close by ${event.by} ${event.result}`;
    case "http-request":
      return `http-request ${event.outcome}`;
    case "http-reply":
      return `http-reply ${event.status}${event.fault === null ? "" : ` ${event.fault}`}${event.late ? " late" : ""}`;
    case "http-timeout":
      return "http-timeout";
    case "timer":
      return `timer ${withoutIds(event.timer)}`;
    case "client":
      return `client ${event.action}`;
    case "fault":
      return `fault ${event.fault}`;
  }
}

/**
 * What a step said with only its ids and numbers taken out: two steps with the same wording tell a reader the
 * same thing (a story keeps one of them). Finer than `eventShape`: arguments and replies count.
 */
export function wordingShape(event: StepEvent): string {
  return `${withoutIds(stepLabel(event))}|${withoutIds(stepDetail(event))}`;
}

/**
 * A cheap, coarse shape of what a step did, for counting how often each kind of moment occurs while a run goes
 * on: the command or script and how it fared, the frame's direction, the timer's name; no reply, no text.
 */
export function momentShape(event: StepEvent): string {
  switch (event.kind) {
    case "redis":
      return `redis ${event.script ?? event.command} ${event.outcome}`;
    case "frame-in":
    case "frame-out":
      return `${event.kind}${event.dropped ? " dropped" : ""}`;
    case "close":
      return `close ${event.by}`;
    case "http-request":
      return `http-request ${event.outcome}`;
    case "http-reply":
      return `http-reply ${event.status}${event.late ? " late" : ""}`;
    case "timer":
      return timerShape(event.timer);
    case "client":
      return `client ${event.action}`;
    case "fault":
      return `fault ${event.fault}`;
    default:
      return event.kind;
  }
}

/** Timer names repeat all run long (a tick every few seconds): their shapes are remembered. */
const timerShapes = new Map<string, string>();
const MOST_TIMER_SHAPES = 10_000;

function timerShape(name: string): string {
  let shape = timerShapes.get(name);
  if (shape === undefined) {
    shape = `timer ${withoutIds(name)}`;
    if (timerShapes.size < MOST_TIMER_SHAPES) timerShapes.set(name, shape);
  }
  return shape;
}
