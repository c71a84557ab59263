import { stepLabel } from "../trace/describe.ts";
import { clientFrame, frameSession, isRefusedLock, serverMessage } from "../trace/facts.ts";
import type { FrameEvent, RedisEvent } from "../trace/events.ts";
import type { TraceStep } from "../trace/trace.ts";
import { describeReply } from "../trace/describe.ts";
import { abbreviateIds, clip, laneName } from "./text.ts";

function frameText(event: FrameEvent): string {
  const message = event.kind === "frame-in" ? clientFrame(event) : serverMessage(event);
  if (message === null) return `a malformed frame ${JSON.stringify(clip(event.text, 40))}`;
  const session = frameSession(event);
  const about = session !== null ? ` for session ${session}` : message.type === "error" ? ` "${message.message}"` : "";
  return abbreviateIds(`${message.type}${about}`);
}

function replyText(event: RedisEvent): string {
  if (isRefusedLock(event)) return "null (the lock is held elsewhere)";
  switch (event.outcome) {
    case "error":
      return `error ${clip(abbreviateIds(event.error ?? ""), 70)}`;
    case "lost-before":
      return "lost before Redis applied it";
    case "lost-after":
      return `applied, but the reply was lost (${clip(abbreviateIds(describeReply(event.reply)), 50)})`;
    case "ok":
      if (Array.isArray(event.reply) && event.reply.length === 0) return "[] (nothing)";
      return clip(abbreviateIds(describeReply(event.reply)), 70);
  }
}

/** One step in words, ids shortened: "i2 ran SET lock:loading:c8ed462b 5f18bb… NX PX 10000 -> null (...)". */
export function describeStep(step: TraceStep): string {
  const actor = laneName(step.lane);
  const event = step.event;
  switch (event.kind) {
    case "redis":
      return `${actor} ran ${clip(abbreviateIds(stepLabel(event)), 90)} -> ${replyText(event)}`;
    case "frame-in":
      return `${actor} sent ${frameText(event)} to ${event.instance}${event.dropped ? " (dropped: the connection was closed)" : ""}`;
    case "frame-out":
      return `${actor} sent ${frameText(event)} to player ${abbreviateIds(event.player)}${event.dropped ? " (dropped: the player had closed)" : ""}`;
    case "deliver":
      return `${actor} received a message on ${abbreviateIds(event.channel)}`;
    case "close":
      return `${actor}: ${abbreviateIds(stepLabel(event))}${event.result === "closed" ? "" : ` (${event.result})`}`;
    case "client":
      return `${actor}: ${event.action}`;
    case "http-request":
      return `${actor} got POST ${event.url} ${clip(abbreviateIds(event.body), 60)}${event.outcome === "handled" ? "" : ` (${event.outcome})`}`;
    case "http-reply":
      return `${actor} got ${event.late ? "a late " : ""}reply ${event.status} from ${event.address}${event.fault === null ? "" : ` (fault ${event.fault})`}`;
    case "http-timeout":
      return `${actor}'s request to ${event.url} timed out after ${event.timeoutMs} ms`;
    case "timer":
      return `${actor}'s ${event.timer} timer fired`;
    case "fault":
      return `fault: ${abbreviateIds(stepLabel(event))}${event.effect ? ` (${abbreviateIds(event.effect)})` : ""}`;
  }
}
