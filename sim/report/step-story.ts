import type { TraceStep } from "../trace/trace.ts";
import { abbreviateIds, clip, laneName, splitId } from "./text.ts";

/** Which player each connection id belongs to: frames to clients name the connection only. */
export function playerOfConnection(steps: readonly TraceStep[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const s of steps) {
    if (!s.lane.startsWith("player:")) continue;
    const connection = /\b(c\d+)\b/.exec(s.label)?.[1];
    if (connection && !owners.has(connection)) owners.set(connection, splitId(s.lane)[1]);
  }
  return owners;
}

/** A refused `SET ... NX` answers null: someone else holds the lock. */
export function isRefusedLock(step: TraceStep): boolean {
  return step.kind === "redis" && /^SET \S+ \S+ NX\b/.test(step.label) && step.detail === "null";
}

/** An error reply, or a command the fault injector lost before or after Redis applied it. */
export function isRedisFailure(step: TraceStep): boolean {
  return step.kind === "redis" && /^(error:|lost before|applied, reply lost)/.test(step.detail);
}

interface Frame {
  type: string;
  session?: string;
  message?: string;
}

function parseFrame(text: string): Frame | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    const record = value as Record<string, unknown>;
    const type = typeof record.type === "string" ? record.type : "a frame without a type";
    const session = record.loading_session_id ?? record.session_id;
    return {
      type,
      session: typeof session === "string" ? session : undefined,
      message: typeof record.message === "string" ? record.message : undefined,
    };
  } catch {
    return null;
  }
}

function frameText(detail: string): string {
  const frame = parseFrame(detail);
  if (!frame) return `a malformed frame ${JSON.stringify(clip(detail, 40))}`;
  const about = frame.session ? ` for session ${frame.session}` : frame.message ? ` "${frame.message}"` : "";
  return abbreviateIds(`${frame.type}${about}`);
}

function replyText(step: TraceStep): string {
  if (isRefusedLock(step)) return "null (the lock is held elsewhere)";
  if (step.detail === "[]") return "[] (nothing)";
  return clip(abbreviateIds(step.detail), 70);
}

/** One step in words, ids shortened: "i2 ran SET lock:loading:c8ed462b 5f18bb… NX PX 10000 -> null (...)". */
export function describeStep(step: TraceStep, owners: ReadonlyMap<string, string>): string {
  const actor = laneName(step.lane);
  const client = (label: string): string => {
    const connection = /-> (c\d+)\b/.exec(label)?.[1];
    const owner = connection ? owners.get(connection) : undefined;
    return owner ? `player ${abbreviateIds(owner)}` : (connection ?? "a client");
  };
  const target = /-> (i\d+)\b/.exec(step.label)?.[1] ?? "the server";
  switch (step.kind) {
    case "redis":
      return `${actor} ran ${clip(abbreviateIds(step.label), 90)} -> ${replyText(step)}`;
    case "frame-in":
      return `${actor} sent ${frameText(step.detail)} to ${target}`;
    case "frame-out":
      return `${actor} sent ${frameText(step.detail)} to ${client(step.label)}`;
    case "deliver":
      return `${actor} received ${frameText(step.detail)} on ${abbreviateIds(step.label.replace(/^message /, ""))}`;
    case "close":
    case "client":
    case "connect":
      return `${actor}: ${abbreviateIds(step.label)}${step.detail && step.detail !== "closed" ? ` (${abbreviateIds(step.detail)})` : ""}`;
    case "http-request":
      return `${actor} got ${step.label} ${clip(abbreviateIds(step.detail), 60)}`;
    case "http-reply":
      return `${actor} got ${clip(step.label, 70)}`;
    case "timer":
      return `${actor}'s ${step.label} timer fired`;
    case "fault":
      return `fault: ${abbreviateIds(step.label)}${step.detail ? ` (${abbreviateIds(step.detail)})` : ""}`;
  }
}
