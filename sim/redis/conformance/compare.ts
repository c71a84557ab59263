import type { Command, Outcome } from "./command.ts";

export interface CompareOptions {
  /**
   * Numbers and numeric strings from 1e12 up are taken for millisecond timestamps read from each side's own
   * clock (Redis TIME in scripts), or values computed from them: equal within this many ms. 0 (the
   * default) compares them exactly.
   */
  timestampToleranceMs?: number;
  /** The set a command pops random members from, beyond SPOP itself (a script that SPOPs); else null. */
  randomPop?(command: Command): string | null;
}

/** The set key a command pops random members from, or null. */
export function poppedSet(command: Command, options: CompareOptions): string | null {
  if (command.name.toLowerCase() === "spop") return command.args[0] ?? null;
  return options.randomPop?.(command) ?? null;
}

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

/** The run_id an `INFO` text names (a process's own: it differs between any two), or null. */
export function runIdIn(info: unknown): string | null {
  return typeof info === "string" ? (/\r\nrun_id:([0-9a-f]{40})\r\n/.exec(info)?.[1] ?? null) : null;
}

/** An INFO text's fields by name. */
function infoFields(text: string): Set<string> {
  return new Set(text.split("\r\n").flatMap((line) => (/^[a-z_]+:/.test(line) ? [line.slice(0, line.indexOf(":"))] : [])));
}

/**
 * INFO: the engine models the server section's header and a few of its fields (sim/redis/commands/server.ts),
 * and their values are each process's own (its run_id, clock and uptime). Equal when both answer nothing, or
 * both a server section with a run_id in which every field the engine prints is one Redis prints too.
 */
function sameInfo(sim: unknown, real: unknown): boolean {
  if (sim === "" || real === "") return sim === real;
  if (typeof sim !== "string" || typeof real !== "string" || !sim.startsWith("# Server\r\n") || !real.startsWith("# Server\r\n")) return false;
  if (runIdIn(sim) === null || runIdIn(real) === null) return false;
  const printed = infoFields(real);
  return [...infoFields(sim)].every((field) => printed.has(field));
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

function equalReplies(command: Command, sim: unknown, real: unknown, options: CompareOptions): boolean {
  const name = command.name.toLowerCase();
  const equal = (a: unknown, b: unknown) => equalWithin(a, b, options.timestampToleranceMs ?? 0);
  if (poppedSet(command, options) !== null && name !== "spop") return sameShape(sim, real);
  switch (name) {
    case "smembers":
    case "keys":
      return equal(sorted(sim), sorted(real));
    case "scan":
      return Array.isArray(sim) && Array.isArray(real) && equal(sorted(sim[1]), sorted(real[1]));
    case "spop":
    case "srandmember":
      return sameShape(sim, real);
    case "info":
      return sameInfo(sim, real);
    case "dbsize":
      // Real Redis still counts expired keys its expiry cycle has not reclaimed yet; the engine never does.
      return typeof sim === "number" && typeof real === "number" && sim <= real;
    case "ttl":
      return equal(sim, real) || close(sim, real, 1);
    case "pttl":
      return equal(sim, real) || close(sim, real, 250);
    default:
      return equal(sim, real);
  }
}

function timestamp(value: unknown): number | null {
  const number = typeof value === "number" ? value : typeof value === "string" && /^\d{13,}(\.\d+)?$/.test(value) ? Number(value) : NaN;
  return number >= 1e12 ? number : null;
}

function near(a: unknown, b: unknown, toleranceMs: number): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => near(x, b[i], toleranceMs));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return same(keys.sort(), Object.keys(b).sort()) && keys.every((key) => near((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], toleranceMs));
  }
  const x = timestamp(a);
  const y = timestamp(b);
  return x !== null && y !== null && Math.abs(x - y) <= toleranceMs;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Deep equality, timestamps within the tolerance. */
export function equalWithin(a: unknown, b: unknown, toleranceMs: number): boolean {
  return same(a, b) || (toleranceMs > 0 && near(a, b, toleranceMs));
}

/** Null when the outcomes agree, otherwise why they do not. */
export function compareOutcomes(command: Command, sim: Outcome, real: Outcome, options: CompareOptions = {}): string | null {
  if ("error" in sim || "error" in real) {
    if (!("error" in sim)) return `sim replied ${JSON.stringify(sim.reply)}, real failed`;
    if (!("error" in real)) return `sim failed, real replied ${JSON.stringify(normalizeReply(real.reply))}`;
    return normalizeError(sim.error) === normalizeError(real.error) ? null : "different error texts";
  }
  return equalReplies(command, normalizeReply(sim.reply), normalizeReply(real.reply), options) ? null : "different replies";
}
