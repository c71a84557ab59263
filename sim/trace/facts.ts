import { parseClientFrame, parseServerMessage, type ClientFrame, type ServerMessage } from "../../src/protocol/index.ts";
import type { FrameEvent, StepEvent } from "./events.ts";

/** A `SET ... NX` refused (a null reply): someone else holds the lock. */
export function isRefusedLock(event: StepEvent): boolean {
  return (
    event.kind === "redis" &&
    event.command === "SET" &&
    event.outcome === "ok" &&
    event.reply === null &&
    event.args.some((arg) => typeof arg === "string" && arg.toUpperCase() === "NX")
  );
}

/**
 * An error reply, or a command the fault injector lost before or after Redis applied it. Not a script Redis did
 * not have cached yet (EVALSHA's NOSCRIPT): the client sends its body next, as the protocol means it to.
 */
export function isRedisFailure(event: StepEvent): boolean {
  return event.kind === "redis" && event.outcome !== "ok" && !isScriptCacheMiss(event);
}

/** EVALSHA answered NOSCRIPT: Redis has not got the script (yet, or any more after a restart). */
export function isScriptCacheMiss(event: StepEvent): boolean {
  return event.kind === "redis" && event.command === "EVALSHA" && event.outcome === "error" && (event.error ?? "").startsWith("NOSCRIPT");
}

/**
 * Redis ran the command to the end, whether or not its reply came back: a reply lost after an error reply (a cold
 * script cache's NOSCRIPT) was no application.
 */
export function appliedByRedis(event: StepEvent): boolean {
  return event.kind === "redis" && (event.outcome === "ok" || (event.outcome === "lost-after" && event.error === null));
}

/** The frame a player sent, through the protocol's own parser; null when it is not a valid frame. */
export function clientFrame(event: StepEvent): ClientFrame | null {
  if (event.kind !== "frame-in") return null;
  const parsed = parseClientFrame(event.text);
  return parsed.ok ? parsed.value : null;
}

/** The message a server sent, through the protocol's own parser; null when it is not a valid message. */
export function serverMessage(event: StepEvent): ServerMessage | null {
  if (event.kind !== "frame-out") return null;
  const parsed = parseServerMessage(event.text);
  return parsed.ok ? parsed.value : null;
}

/** The loading or game session a frame is about, if any. */
export function frameSession(event: FrameEvent): string | null {
  const message = event.kind === "frame-in" ? clientFrame(event) : serverMessage(event);
  if (message === null) return null;
  if (message.type === "start_loading" || message.type === "loading_complete") return message.loading_session_id;
  if (message.type === "match_found") return message.session_id;
  return null;
}

/** The player an event is about by its own account: the far end of a socket, the actor of a client action. */
export function eventPlayer(event: StepEvent): string | null {
  switch (event.kind) {
    case "frame-in":
    case "frame-out":
    case "close":
      return event.player;
    case "client":
      return event.player;
    case "fault":
      return event.fault === "network-drop" ? event.target : null;
    default:
      return null;
  }
}

/** Every key a Redis event named or touched. */
export function eventKeys(event: StepEvent): readonly string[] {
  if (event.kind !== "redis") return [];
  if (event.keys.length === 0 && event.writes.length === 0) return event.reads;
  return [...new Set([...event.keys, ...event.reads, ...event.writes])];
}

/** The data an event carries, as text: what an id can be mentioned in (arguments, replies, frames, bodies). */
export function eventData(event: StepEvent): string {
  switch (event.kind) {
    case "redis":
      return `${event.keys.join(" ")} ${event.args.join(" ")} ${JSON.stringify(event.reply)}`;
    case "deliver":
      return `${event.channel} ${event.message}`;
    case "frame-in":
    case "frame-out":
      return event.text;
    case "http-request":
    case "http-reply":
      return `${event.url} ${event.body}`;
    case "http-timeout":
      return event.url;
    case "timer":
      return event.timer;
    case "client":
      return event.player;
    case "close":
      return event.player;
    case "fault":
      return `${event.target} ${event.effect}`;
  }
}

/** Matches any of the ids where they stand alone: `player-1` must not match inside `player-10`. */
export function idsPattern(ids: readonly string[]): RegExp | null {
  if (ids.length === 0) return null;
  const escaped = [...ids].sort((a, b) => b.length - a.length).map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![\\w-])(?:${escaped.join("|")})(?![\\w-])`);
}
