import { err, ok, type Result } from "../protocol/result.ts";

/** A match never needs more seats than this; a longer list is a bad request, not a bigger game. */
export const MAX_PLAYERS = 64;

/** Longer than any id the match servers send; bounds what a bad caller can make us store and log. */
export const MAX_PLAYER_ID_LENGTH = 128;

export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

export interface CreateSessionRequest {
  players: string[];
  /** From the body; the `Idempotency-Key` header, when present, takes precedence. */
  idempotencyKey: string | null;
}

/** Parses `POST /session/create`'s body: `{"players":[string, ...], "idempotency_key"?: string}`. Never throws. */
export function parseCreateSessionRequest(body: string): Result<CreateSessionRequest, string> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return err("body must be JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return err("body must be a JSON object");
  const { players, idempotency_key: idempotencyKey } = value as Record<string, unknown>;
  if (!Array.isArray(players)) return err("players must be an array of strings");
  if (players.length < 1 || players.length > MAX_PLAYERS) return err(`players must hold 1 to ${MAX_PLAYERS} ids`);
  for (const player of players) {
    if (typeof player !== "string" || player === "" || player.length > MAX_PLAYER_ID_LENGTH) {
      return err(`each player must be a non-empty string of at most ${MAX_PLAYER_ID_LENGTH} characters`);
    }
  }
  if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) {
    return err(`idempotency_key must be a non-empty string of at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return ok({ players: players as string[], idempotencyKey: idempotencyKey ?? null });
}

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === "string" && value !== "" && value.length <= MAX_IDEMPOTENCY_KEY_LENGTH;
}
