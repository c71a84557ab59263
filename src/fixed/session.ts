import { err, isUuid, ok, type Result } from "../protocol/index.ts";
import type { RedisReply } from "../ports/index.ts";
import { SERVER_STATUSES, type ServerStatus } from "./keys.ts";
import { countAt, shapeError, wordsOf } from "./reply.ts";

/** Replies of the scripts that move sessions, servers and instances, parsed and checked. Never throws. */

export interface MatchOutcome {
  sessions: string[];
  dropped: number;
  more: boolean;
}

export type ClaimOutcome =
  | { kind: "claimed"; serverId: string; address: string; skipped: number }
  | { kind: "none"; skipped: number }
  | { kind: "taken" }
  | { kind: "stale" };

export type CommitOutcome =
  | { kind: "matched"; told: number }
  | { kind: "already" }
  | { kind: "abandoned" }
  | { kind: "stale" };

export type RollbackOutcome = { kind: "rolled_back"; requeued: number } | { kind: "stale" };

export interface ExpiryOutcome {
  expired: number;
  requeued: number;
  removed: number;
  corrupt: number;
}

export type PresenceOutcome = { kind: "ok"; purged: number } | { kind: "fenced" };

export type ServerRegistration =
  | { kind: "idle" }
  | { kind: "renewed"; status: ServerStatus }
  | { kind: "fenced" };

export interface ServerReap {
  /** Sessions rolled back because the server they had claimed was reaped. */
  rolledBack: number;
  servers: string[];
}

/** Counts the stats script reads in one pass: players of one instance, live sessions, dedicated servers. */
export interface Stats {
  players: { queued: number; loading: number; allocating: number; in_game: number };
  sessions: { loading: number; allocating: number };
  servers: { live: number; idle: number; claimed: number; busy: number; expired: number };
  instances: number;
}

export type ServerRelease = "released" | "pending" | "stale";

export function parseMatch(reply: RedisReply): Result<MatchOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`match: ${words.error}`);
  const [status, , more, ...sessions] = words.value;
  const dropped = countAt(words.value, 1);
  if (status === "matched" && dropped !== null && (more === "0" || more === "1") && sessions.every(isUuid)) {
    return ok({ sessions, dropped, more: more === "1" });
  }
  return shapeError("match", words.value);
}

export function parseClaim(reply: RedisReply): Result<ClaimOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`claim_server: ${words.error}`);
  const [status, serverId, address] = words.value;
  if (status === "claimed" && serverId && address) {
    const skipped = countAt(words.value, 3);
    if (skipped !== null) return ok({ kind: "claimed", serverId, address, skipped });
  }
  if (status === "none") {
    const skipped = countAt(words.value, 1);
    if (skipped !== null) return ok({ kind: "none", skipped });
  }
  if ((status === "taken" || status === "stale") && words.value.length === 1) return ok({ kind: status });
  return shapeError("claim_server", words.value);
}

export function parseCommit(reply: RedisReply): Result<CommitOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`commit: ${words.error}`);
  const [status] = words.value;
  if (status === "matched") {
    const told = countAt(words.value, 1);
    if (told !== null) return ok({ kind: "matched", told });
  }
  if ((status === "already" || status === "abandoned" || status === "stale") && words.value.length === 1) {
    return ok({ kind: status });
  }
  return shapeError("commit", words.value);
}

export function parseRollback(reply: RedisReply): Result<RollbackOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`rollback: ${words.error}`);
  const [status] = words.value;
  if (status === "rolled_back") {
    const requeued = countAt(words.value, 1);
    if (requeued !== null) return ok({ kind: "rolled_back", requeued });
  }
  if (status === "stale" && words.value.length === 1) return ok({ kind: "stale" });
  return shapeError("rollback", words.value);
}

export function parseExpiry(reply: RedisReply): Result<ExpiryOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`expire_due: ${words.error}`);
  const counts = [1, 2, 3, 4].map((index) => countAt(words.value, index));
  const [expired, requeued, removed, corrupt] = counts;
  if (words.value[0] === "expired" && expired != null && requeued != null && removed != null && corrupt != null) {
    return ok({ expired, requeued, removed, corrupt });
  }
  return shapeError("expire_due", words.value);
}

export function parseReaped(reply: RedisReply): Result<string[], string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`reap_instances: ${words.error}`);
  const [status, ...instances] = words.value;
  return status === "reaped" ? ok(instances) : shapeError("reap_instances", words.value);
}

export function parsePresence(reply: RedisReply): Result<PresenceOutcome, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`register_instance: ${words.error}`);
  const [status] = words.value;
  if (status === "fenced" && words.value.length === 1) return ok({ kind: "fenced" });
  const purged = countAt(words.value, 1);
  if (status === "ok" && purged !== null) return ok({ kind: "ok", purged });
  return shapeError("register_instance", words.value);
}

export function parseServerRegistration(reply: RedisReply): Result<ServerRegistration, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`register_server: ${words.error}`);
  const [status, detail] = words.value;
  const single = words.value.length === 1;
  // `idle ended`: an allocation that held the server claimed was ended on the way (the probe counts it).
  if (status === "idle" && (single || (detail === "ended" && words.value.length === 2))) return ok({ kind: "idle" });
  if (status === "fenced" && single) return ok({ kind: "fenced" });
  const known = SERVER_STATUSES.find((each) => each === detail);
  if (status === "renewed" && known) return ok({ kind: "renewed", status: known });
  return shapeError("register_server", words.value);
}

export function parseServerReap(reply: RedisReply): Result<ServerReap, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`reap_servers: ${words.error}`);
  const [status, , ...servers] = words.value;
  const rolledBack = countAt(words.value, 1);
  if (status === "reaped" && rolledBack !== null) return ok({ rolledBack, servers });
  return shapeError("reap_servers", words.value);
}

export function parseStats(reply: RedisReply): Result<Stats, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`stats: ${words.error}`);
  const counts = Array.from({ length: 12 }, (_, index) => countAt(words.value, index + 1));
  if (words.value[0] !== "stats" || words.value.length !== 13 || counts.some((count) => count === null)) {
    return shapeError("stats", words.value);
  }
  const [queued, loading, allocating, inGame, sessionsLoading, sessionsAllocating, live, idle, claimed, busy, expired, instances] =
    counts as number[];
  return ok({
    players: { queued: queued!, loading: loading!, allocating: allocating!, in_game: inGame! },
    sessions: { loading: sessionsLoading!, allocating: sessionsAllocating! },
    servers: { live: live!, idle: idle!, claimed: claimed!, busy: busy!, expired: expired! },
    instances: instances!,
  });
}

export function parseServerRelease(reply: RedisReply): Result<ServerRelease, string> {
  const words = wordsOf(reply);
  if (!words.ok) return err(`release_server: ${words.error}`);
  const [status] = words.value;
  if ((status === "released" || status === "pending" || status === "stale") && words.value.length === 1) return ok(status);
  return shapeError("release_server", words.value);
}
