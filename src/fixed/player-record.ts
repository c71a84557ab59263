import { err, isUuid, ok, type Result } from "../protocol/index.ts";
import type { RedisReply } from "../ports/index.ts";
import { PLAYER_STATES, type PlayerState } from "./keys.ts";
import { shapeError, wordsOf } from "./reply.ts";

/** Replies of the scripts that move one player's record, parsed and checked. Bad shapes are errors, not throws. */

export type EnqueueOutcome =
  | { kind: "queued"; how: "new" | "repaired" | "after_game" }
  | { kind: "resumed"; state: PlayerState }
  | { kind: "already"; state: PlayerState }
  | { kind: "in_game" }
  | { kind: "fenced" };

export type ReadyOutcome =
  | { kind: "waiting" }
  | { kind: "ignored"; reason: string }
  | { kind: "allocate"; token: string; mode: string; players: string[] };

export type LeaveOutcome = { kind: "left"; state: PlayerState | "corrupt" } | { kind: "ignored" };

export type ResyncOutcome = { kind: "told" | "repaired"; state: PlayerState } | { kind: "gone" } | { kind: "over" };

function isState(text: string | undefined): text is PlayerState {
  return (PLAYER_STATES as readonly (string | undefined)[]).includes(text);
}

export function parseEnqueue(reply: RedisReply): Result<EnqueueOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`enqueue: ${words.error}`);
  const [status, detail] = words.value;
  if (status === "queued" && (detail === "new" || detail === "repaired" || detail === "after_game")) {
    return ok({ kind: "queued", how: detail });
  }
  if (status === "resumed" && isState(detail) && detail !== "in_game") return ok({ kind: "resumed", state: detail });
  if (status === "already" && isState(detail)) return ok({ kind: "already", state: detail });
  if (status === "in_game" && words.value.length === 1) return ok({ kind: "in_game" });
  if (status === "fenced" && words.value.length === 1) return ok({ kind: "fenced" });
  return shapeError("enqueue", words.value);
}

export function parseReady(reply: RedisReply): Result<ReadyOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`ready: ${words.error}`);
  const [status, ...rest] = words.value;
  if (status === "waiting" && rest.length === 0) return ok({ kind: "waiting" });
  if (status === "ignored" && rest.length === 1 && rest[0] !== undefined) return ok({ kind: "ignored", reason: rest[0] });
  if (status === "allocate") {
    const [token, mode, ...players] = rest;
    if (token !== undefined && /^\d+$/.test(token) && mode && players.length > 0 && players.every(isUuid)) {
      return ok({ kind: "allocate", token, mode, players });
    }
  }
  return shapeError("ready", words.value);
}

export function parseLeave(reply: RedisReply): Result<LeaveOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`leave: ${words.error}`);
  const [status, state] = words.value;
  if (status === "ignored" && words.value.length === 1) return ok({ kind: "ignored" });
  if (status === "left" && (isState(state) || state === "corrupt")) return ok({ kind: "left", state });
  return shapeError("leave", words.value);
}

export function parseResync(reply: RedisReply): Result<ResyncOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`resync: ${words.error}`);
  const [status, state] = words.value;
  if (status === "gone" && words.value.length === 1) return ok({ kind: "gone" });
  if (status === "over" && words.value.length === 1) return ok({ kind: "over" });
  if ((status === "told" || status === "repaired") && isState(state) && words.value.length === 2) return ok({ kind: status, state });
  return shapeError("resync", words.value);
}
