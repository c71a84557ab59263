import { isUuid } from "../protocol/index.ts";
import type { HttpResponse } from "../ports/index.ts";
import { errorText, rejectReply, type FixedContext } from "./context.ts";
import { Keys } from "./keys.ts";
import { FixedText } from "./messages.ts";
import { parseClaim, parseCommit, parseRollback } from "./session.ts";

/** What `ready` hands the instance that saw the last ready: a session in `allocating`, fenced by `token`. */
export interface AllocationRequest {
  sessionId: string;
  token: string;
  mode: string;
  players: string[];
}

export interface CreatedGame {
  sessionId: string;
  serverAddress: string;
}

/** A dedicated server's reply to `POST /session/create`; anything but this shape is a failure. */
export function parseCreateReply(response: HttpResponse): CreatedGame | string {
  if (!Number.isInteger(response.status) || response.status < 200 || response.status > 299) {
    return `status ${response.status}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return "body is not JSON";
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "body is not an object";
  const { server_address: serverAddress, session_id: sessionId } = body as Record<string, unknown>;
  if (typeof serverAddress !== "string" || serverAddress === "") return "server_address is not a string";
  if (typeof sessionId !== "string" || !isUuid(sessionId)) return "session_id is not a UUID";
  return { sessionId, serverAddress };
}

export function idempotencyKey(request: AllocationRequest): string {
  return `${request.sessionId}:${request.token}`;
}

/** The session an idempotency key was made for (idempotencyKey's inverse); null for a key of another shape. */
export function sessionOfIdempotencyKey(key: string): string | null {
  const colon = key.lastIndexOf(":");
  return colon > 0 ? key.slice(0, colon) : null;
}

export const ALLOCATION_FAILURES = ["redis", "bad_claim_reply", "no_server", "unreachable", "bad_reply", "bad_commit_reply"] as const;
export type AllocationFailure = (typeof ALLOCATION_FAILURES)[number];

export const ALLOCATION_RESULTS = ["matched", "failed", "superseded"] as const;

/**
 * claim -> create -> commit. Every failure rolls back, once: the rollback script's token check makes a
 * second rollback (ours or the sweep's) `stale`, and a `stale` anywhere means the session ended without us.
 */
export async function allocate(ctx: FixedContext, request: AllocationRequest): Promise<void> {
  const { ports, scripts, config } = ctx;
  const { sessionId, token } = request;
  const key = Keys.session(sessionId);
  const fields = { session: sessionId, token };
  const started = ports.clock.now();
  const finished = (result: (typeof ALLOCATION_RESULTS)[number]): void =>
    ports.metrics.observe("allocation_seconds", Math.max(0, ports.clock.now() - started) / 1000, { result });
  let rolledBack = false;
  let server: string | null = null;

  const rollback = async (reason: AllocationFailure, text: string): Promise<void> => {
    if (rolledBack) return;
    rolledBack = true;
    finished("failed");
    ports.metrics.increment("allocation_failures_total", { reason });
    if (server !== null && reason !== "no_server") ports.metrics.increment("dedicated_server_failures_total", { server });
    ports.logger.log("warn", "allocation_failed", { ...fields, reason, server });
    // A server the create call never reached may be dead: out of the pool until its heartbeat says otherwise.
    const park = reason === "unreachable" ? "1" : "0";
    try {
      const outcome = parseRollback(await scripts.retry("rollback", key, [sessionId, token, text, park]));
      if (!outcome.ok) rejectReply(ctx, outcome.error, fields);
      else ports.logger.log("info", "allocation_rolled_back", { ...fields, result: outcome.value.kind });
    } catch (error) {
      // The sweep rolls the session back at its allocation deadline.
      ports.logger.log("error", "rollback_failed", { ...fields, error: errorText(error) });
    }
  };

  let claim;
  try {
    claim = parseClaim(await scripts.retry("claim_server", key, [sessionId, token, ports.random.token()]));
  } catch (error) {
    ports.logger.log("error", "claim_failed", { ...fields, error: errorText(error) });
    return rollback("redis", FixedText.allocationFailed);
  }
  if (!claim.ok) {
    rejectReply(ctx, claim.error, fields);
    return rollback("bad_claim_reply", FixedText.allocationFailed);
  }
  const claimed = claim.value;
  if (claimed.kind === "stale" || claimed.kind === "taken") {
    finished("superseded");
    ports.logger.log("info", "allocation_superseded", { ...fields, result: claimed.kind });
    return;
  }
  if (claimed.skipped > 0) rejectReply(ctx, `${claimed.skipped} listed idle server(s) were not idle`, fields);
  if (claimed.kind === "none") return rollback("no_server", FixedText.noServer);
  server = claimed.serverId;
  // The server's failure series exists from the first time this instance meets it, at zero.
  ports.metrics.increment("dedicated_server_failures_total", { server }, 0);

  const idempotency = idempotencyKey(request);
  let response: HttpResponse;
  try {
    response = await ports.http.post(
      `http://${claimed.address}/session/create`,
      JSON.stringify({ players: request.players, idempotency_key: idempotency }),
      {
        timeoutMs: config.allocationRequestTimeoutMs,
        headers: { "Content-Type": "application/json", "Idempotency-Key": idempotency },
      },
    );
  } catch (error) {
    ports.logger.log("warn", "create_unreachable", { ...fields, server: claimed.serverId, error: errorText(error) });
    return rollback("unreachable", FixedText.allocationFailed);
  }
  const created = parseCreateReply(response);
  if (typeof created === "string") {
    ports.logger.log("warn", "create_rejected", { ...fields, server: claimed.serverId, detail: created });
    return rollback("bad_reply", FixedText.allocationFailed);
  }

  let commit;
  try {
    commit = parseCommit(
      await scripts.retry("commit", key, [sessionId, token, claimed.serverId, created.sessionId, created.serverAddress]),
    );
  } catch (error) {
    ports.logger.log("error", "commit_failed", { ...fields, error: errorText(error) });
    return rollback("redis", FixedText.allocationFailed);
  }
  if (!commit.ok) {
    rejectReply(ctx, commit.error, fields);
    return rollback("bad_commit_reply", FixedText.allocationFailed);
  }
  switch (commit.value.kind) {
    case "matched":
    case "already":
      finished("matched");
      ports.metrics.increment("matches_total", { mode: request.mode });
      ports.logger.log("info", "match_committed", { ...fields, server: claimed.serverId, game: created.sessionId });
      return;
    case "abandoned":
    case "stale":
      finished("superseded");
      // Ended while we were creating: whoever ended it released the server; the created game goes unused.
      ports.logger.log("warn", "commit_refused", { ...fields, server: claimed.serverId, result: commit.value.kind });
      return;
  }
}
