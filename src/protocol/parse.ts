import type { ClientFrame, ServerMessage } from "./messages.ts";
import { err, ok, type Result } from "./result.ts";

/** Why a frame was refused; `detail` is for logs, never sent to clients verbatim. */
export interface ProtocolError {
  kind: "not-json" | "not-object" | "unknown-type" | "bad-field" | "too-large";
  detail: string;
}

/** A frame larger than this is refused before JSON.parse sees it. */
export const MAX_FRAME_BYTES = 4096;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

function parseObject(text: string): Result<Record<string, unknown>, ProtocolError> {
  if (text.length > MAX_FRAME_BYTES) return err({ kind: "too-large", detail: `${text.length} bytes` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return err({ kind: "not-json", detail: (e as Error).message });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return err({ kind: "not-object", detail: typeof value });
  }
  return ok(value as Record<string, unknown>);
}

function stringField(
  object: Record<string, unknown>,
  name: string,
): Result<string, ProtocolError> {
  const value = object[name];
  return typeof value === "string"
    ? ok(value)
    : err({ kind: "bad-field", detail: `${name} must be a string` });
}

/** Parses a client frame. Never throws: a bad frame is an error value. */
export function parseClientFrame(text: string): Result<ClientFrame, ProtocolError> {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const object = parsed.value;
  switch (object.type) {
    case "enqueue": {
      const player = stringField(object, "player_id");
      if (!player.ok) return player;
      const mode = stringField(object, "game_mode");
      if (!mode.ok) return mode;
      return ok({ type: "enqueue", player_id: player.value, game_mode: mode.value });
    }
    case "loading_complete": {
      const session = stringField(object, "loading_session_id");
      if (!session.ok) return session;
      return ok({ type: "loading_complete", loading_session_id: session.value });
    }
    default:
      return err({ kind: "unknown-type", detail: String(object.type) });
  }
}

/** Parses a server message, as a client (simulated player, swarm) receives it. Never throws. */
export function parseServerMessage(text: string): Result<ServerMessage, ProtocolError> {
  const parsed = parseObject(text);
  if (!parsed.ok) return parsed;
  const object = parsed.value;
  switch (object.type) {
    case "queued":
      return ok({ type: "queued" });
    case "start_loading": {
      const session = stringField(object, "loading_session_id");
      return session.ok ? ok({ type: "start_loading", loading_session_id: session.value }) : session;
    }
    case "match_found": {
      const session = stringField(object, "session_id");
      if (!session.ok) return session;
      const address = stringField(object, "server_address");
      if (!address.ok) return address;
      return ok({ type: "match_found", session_id: session.value, server_address: address.value });
    }
    case "error": {
      const message = stringField(object, "message");
      return message.ok ? ok({ type: "error", message: message.value }) : message;
    }
    default:
      return err({ kind: "unknown-type", detail: String(object.type) });
  }
}

export function encodeServerMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}

export function encodeClientFrame(frame: ClientFrame): string {
  return JSON.stringify(frame);
}
