import { describeReply, stepLabel } from "../trace/describe.ts";
import type { CloseEvent, FrameEvent, RedisEvent } from "../trace/events.ts";
import { clientFrame, frameSession, isRefusedLock, serverMessage } from "../trace/facts.ts";
import type { TraceStep } from "../trace/trace.ts";
import { gaveUpAt } from "./fate.ts";
import { abbreviateIds, clip, laneName } from "./text.ts";
import type { TraceGraph } from "./trace-graph.ts";

function frameText(event: FrameEvent): string {
  const message = event.kind === "frame-in" ? clientFrame(event) : serverMessage(event);
  if (message === null) return `a malformed frame ${JSON.stringify(clip(event.text, 40))}`;
  const session = frameSession(event);
  const about = session !== null ? ` for session ${session}` : message.type === "error" ? ` "${message.message}"` : "";
  return abbreviateIds(`${message.type}${about}`);
}

function replyText(event: RedisEvent): string {
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

/** A `SET key token NX ...` that took the lock. */
export function isAcquisition(event: RedisEvent): boolean {
  return event.outcome === "ok" && event.command === "SET" && event.reply === "OK" && event.args.some((arg) => typeof arg === "string" && arg.toUpperCase() === "NX");
}

/** Who ran a command: the lane, and the timer whose handler it belongs to when a timer started it. */
function commandActor(step: TraceStep, graph: TraceGraph | undefined): string {
  const actor = laneName(step.lane);
  const root = graph?.steps[graph.root(step.i)]?.event;
  return root?.kind === "timer" ? `${actor}'s ${root.timer}` : actor;
}

function redisText(step: TraceStep, event: RedisEvent, graph: TraceGraph | undefined): string {
  const actor = commandActor(step, graph);
  const key = abbreviateIds(String(event.args[0]));
  if (isRefusedLock(event)) {
    const holder = graph?.holder(step.i);
    const held = holder === null || holder === undefined ? "held elsewhere" : `held by ${laneName(graph?.steps[holder]?.lane ?? "")} since step ${holder}`;
    return `${actor} was refused ${key} (${held})`;
  }
  if (isAcquisition(event)) return `${actor} took ${key}`;
  return `${actor} ran ${clip(abbreviateIds(stepLabel(event)), 80)} -> ${replyText(event)}`;
}

function closeText(event: CloseEvent): string {
  const player = `player ${abbreviateIds(event.player)}`;
  if (event.by === "client") return `${player} closed its connection ${event.connection} to ${event.instance}`;
  if (event.by === "server") return `${event.instance} closed ${player}'s connection ${event.connection}`;
  return `${player}'s connection ${event.connection} was reset (${event.instance} died)`;
}

/** For a frame or close whose handler gave up at a refused lock: what became of it. */
function dropped(step: TraceStep, graph: TraceGraph | undefined): string {
  const refused = graph === undefined ? null : gaveUpAt(graph, step.i);
  return refused === null ? "" : ` (dropped: its handler gave up when refused the lock at step ${refused})`;
}

/**
 * One step in words, ids shortened: "i2 took lock:loading:c8ed462b", "player 02cc92f3 sent loading_complete for
 * session 3ad30902 to i2". With the trace's graph, a refused lock names its holder and a frame whose handler gave
 * up says it was dropped.
 */
export function describeStep(step: TraceStep, graph?: TraceGraph): string {
  const actor = laneName(step.lane);
  const event = step.event;
  switch (event.kind) {
    case "redis":
      return redisText(step, event, graph);
    case "frame-in":
      return `${actor} sent ${frameText(event)} to ${event.instance}${event.dropped ? " (dropped: the connection was closed)" : dropped(step, graph)}`;
    case "frame-out":
      return `${actor} sent ${frameText(event)} to player ${abbreviateIds(event.player)}${event.dropped ? " (dropped: the player had closed)" : ""}`;
    case "deliver":
      return `${actor} received a message on ${abbreviateIds(event.channel)}`;
    case "close":
      return `${closeText(event)}${event.result === "closed" ? "" : ` (${event.result})`}${dropped(step, graph)}`;
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
