import type { Command, Outcome } from "./command.ts";

/**
 * Reply comparison between the simulated and a real Redis. Exact by default; relaxed only where Redis
 * itself is not deterministic (set and keyspace order, random picks, wall-clock TTLs) or where the texts
 * come from Lua 5.1 vs 5.3 rather than from Redis (runtime error details).
 */

/** ioredis puts Error objects inside arrays for nested error replies; the engine keeps their text. */
export function normalizeReply(reply: unknown): unknown {
  if (reply instanceof Error) return reply.message;
  if (Array.isArray(reply)) return reply.map(normalizeReply);
  return reply;
}

/** Lua runtime error details differ between Lua 5.1 (Redis) and 5.3 (fengari); the location does not. */
export function normalizeError(message: string): string {
  return message.replace(/^(ERR user_script:\d+: )attempt to .*?( script: [0-9a-f]{40}, on @user_script:\d+\.)$/, "$1attempt to …$2");
}

const sorted = (value: unknown) => (Array.isArray(value) ? [...value].map(String).sort() : value);

function close(a: unknown, b: unknown, tolerance: number): boolean {
  return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= tolerance;
}

function sameShape(sim: unknown, real: unknown): boolean {
  if (sim === null || real === null) return sim === real;
  if (Array.isArray(sim) && Array.isArray(real)) return sim.length === real.length;
  return typeof sim === typeof real;
}

function equalReplies(command: Command, sim: unknown, real: unknown): boolean {
  const name = command.name.toLowerCase();
  switch (name) {
    case "smembers":
    case "keys":
      return same(sorted(sim), sorted(real));
    case "scan":
      return Array.isArray(sim) && Array.isArray(real) && same(sorted(sim[1]), sorted(real[1]));
    case "spop":
    case "srandmember":
      return sameShape(sim, real);
    case "dbsize":
      // Real Redis still counts expired keys its expiry cycle has not reclaimed yet; the engine never does.
      return typeof sim === "number" && typeof real === "number" && sim <= real;
    case "ttl":
      return same(sim, real) || close(sim, real, 1);
    case "pttl":
      return same(sim, real) || close(sim, real, 250);
    default:
      return same(sim, real);
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Null when the outcomes agree, otherwise why they do not. */
export function compareOutcomes(command: Command, sim: Outcome, real: Outcome): string | null {
  if ("error" in sim || "error" in real) {
    if (!("error" in sim)) return `sim replied ${JSON.stringify(sim.reply)}, real failed`;
    if (!("error" in real)) return `sim failed, real replied ${JSON.stringify(normalizeReply(real.reply))}`;
    return normalizeError(sim.error) === normalizeError(real.error) ? null : "different error texts";
  }
  return equalReplies(command, normalizeReply(sim.reply), normalizeReply(real.reply)) ? null : "different replies";
}
