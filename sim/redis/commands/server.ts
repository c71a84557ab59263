import { createHash } from "node:crypto";
import { fail } from "../errors.ts";
import type { CommandContext, CommandTable } from "./command.ts";

/** The Redis process the engine plays: what INFO says of it, which a restart changes. */
export interface RedisProcess {
  /** 40 hex digits, as Redis draws at every start of its process. */
  readonly runId: string;
  /** When this process started, ms since the epoch (virtual time). */
  readonly startedAt: number;
}

/** What the simulation's run_ids are derived from (EngineOptions.runIdSeed). */
const SIMULATION_RUN_IDS = "simulated redis process";

/**
 * The process after `restarts` restarts, started at `now`. Real Redis draws its run_id at random; here it follows
 * from the seed and the count, so a seed's trace stays byte-identical and the engine's random stream (SPOP,
 * math.random) is not drawn from.
 */
export function redisProcess(restarts: number, now: number, seed = SIMULATION_RUN_IDS): RedisProcess {
  return { runId: createHash("sha1").update(`${seed} ${restarts}`).digest("hex"), startedAt: now };
}

/** The sections INFO names, as Redis 7.0 has them; of these only `server` is modelled. */
const SECTIONS = new Set([
  ...["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules"],
  ...["errorstats", "cluster", "keyspace", "commandstats", "latencystats"],
]);
/** Names that stand for several sections; the server section is the only one of theirs answered. */
const GROUPS = new Set(["default", "all", "everything"]);

/**
 * INFO [section ...]. Only the server section is modelled, and only the lines a client may rely on across
 * processes (the version, the run_id and the clock); real Redis prints some twenty lines more there, and the other
 * sections (memory, replication, ...), which nothing here reads. Asked by name, one of those fails loudly rather
 * than answer empty: a caller that starts reading one must model it first. An unknown section answers nothing,
 * as Redis does.
 */
function info(ctx: CommandContext, args: string[]): string {
  const asked = args.length === 0 ? ["default"] : args.map((arg) => arg.toLowerCase());
  const modelled = asked.filter((section) => section === "server" || GROUPS.has(section));
  const missing = asked.find((section) => SECTIONS.has(section) && section !== "server");
  if (missing !== undefined) fail(`ERR the simulated Redis does not model INFO's ${missing} section (only server)`);
  if (modelled.length === 0) return "";
  const { runId, startedAt } = ctx.process();
  const now = ctx.now();
  const uptime = Math.floor((now - startedAt) / 1000);
  const lines = [
    "# Server",
    "redis_version:7.0.15",
    "redis_mode:standalone",
    `run_id:${runId}`,
    `server_time_usec:${Math.floor(now * 1000)}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86_400)}`,
  ];
  return lines.map((line) => `${line}\r\n`).join("");
}

export const serverCommands: CommandTable = {
  info: { arity: -1, run: info },
};
