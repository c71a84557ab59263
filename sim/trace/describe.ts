import type { RedisArg, RedisReply } from "../../src/ports/index.ts";
import type { RedisEvent, StepEvent } from "./events.ts";

/** Longest argument list a label shows, in characters. */
const ARGS_SHOWN = 200;
/** Longest reply a detail shows, in characters. */
const REPLY_SHOWN = 160;

/** What a reply looks like in one line: JSON, cut. */
export function describeReply(reply: RedisReply): string {
  const text = JSON.stringify(reply);
  return text.length > REPLY_SHOWN ? `${text.slice(0, REPLY_SHOWN - 3)}...` : text;
}

/**
 * The arguments space-separated, cut: built only as far as the cut, as payloads can be long. `more` continues
 * `args` (keys, then arguments) without joining the two lists first.
 */
function describeArgs(args: readonly RedisArg[], more: readonly RedisArg[] = []): string {
  let text = "";
  const count = args.length + more.length;
  for (let i = 0; i < count && text.length <= ARGS_SHOWN; i++) {
    const arg = i < args.length ? args[i] : more[i - args.length];
    text += i === 0 ? String(arg) : ` ${String(arg)}`;
  }
  return text.length > ARGS_SHOWN ? `${text.slice(0, ARGS_SHOWN - 3)}...` : text;
}

function redisLabel(event: RedisEvent): string {
  if (event.script !== null) return `${event.command} ${event.script} ${describeArgs(event.keys, event.args)}`;
  return event.args.length === 0 ? event.command : `${event.command} ${describeArgs(event.args)}`;
}

function redisDetail(event: RedisEvent): string {
  switch (event.outcome) {
    case "ok":
      return event.command === "SUBSCRIBE" || event.command === "PSUBSCRIBE" ? "subscribed" : describeReply(event.reply);
    case "error":
      return `error: ${event.error ?? ""}`;
    case "lost-before":
      return "lost before Redis applied it";
    case "lost-after":
      return `applied, reply lost (${describeReply(event.reply)})`;
  }
}

/** One line saying what a step was, for people: the timeline's marks, the step table, the story. */
export function stepLabel(event: StepEvent): string {
  switch (event.kind) {
    case "redis":
      return redisLabel(event);
    case "deliver":
      return `message ${event.channel}`;
    case "frame-in":
      return `frame ${event.connection} -> ${event.instance}`;
    case "frame-out":
      return `message ${event.instance} -> ${event.connection}`;
    case "close":
      return event.by === "reset" ? `connection ${event.connection} reset (instance died)` : `close ${event.connection} by ${event.by}`;
    case "http-request":
      return `POST ${event.url}`;
    case "http-reply":
      return `reply ${event.status} ${event.url}`;
    case "http-timeout":
      return `http timeout ${event.url}`;
    case "timer":
      return event.timer;
    case "client":
      return event.action;
    case "fault":
      return [event.fault, event.target, event.note].filter((part) => part !== "").join(" ");
  }
}

/** What the step did or carried, for people: a reply, a frame's text, a fault's effect. */
export function stepDetail(event: StepEvent): string {
  switch (event.kind) {
    case "redis":
      return redisDetail(event);
    case "deliver":
      return event.message;
    case "frame-in":
    case "frame-out":
      return event.dropped ? `dropped: ${event.text}` : event.text;
    case "close":
      return event.result;
    case "http-request":
      return event.outcome === "unreachable" ? "unreachable" : event.outcome === "silent" ? "no answer" : event.body;
    case "http-reply":
      if (event.late) return "too late: already timed out";
      return event.fault === null ? event.body : `fault ${event.fault}: ${event.body}`;
    case "http-timeout":
      return "timed out";
    case "timer":
    case "client":
      return "";
    case "fault":
      return event.effect;
  }
}
