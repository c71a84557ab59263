import type { Command, Outcome } from "./command.ts";
import { equalWithin } from "./compare.ts";

/** One key as both sides can read it: its type, its contents in a canonical order, whether it expires. */
export interface KeyDump {
  type: string;
  value: unknown;
  expires: boolean;
}

export type Dump = Record<string, KeyDump>;

type Run = (command: Command) => Outcome | Promise<Outcome>;

async function reply(run: Run, name: string, ...args: string[]): Promise<unknown> {
  const outcome = await run({ name, args });
  if ("error" in outcome) throw new Error(`${name} ${args.join(" ")} failed while reading the keyspace: ${outcome.error}`);
  return outcome.reply;
}

const CONTENTS: Record<string, (run: Run, key: string) => Promise<unknown>> = {
  string: (run, key) => reply(run, "GET", key),
  set: async (run, key) => ((await reply(run, "SMEMBERS", key)) as string[]).sort(),
  hash: async (run, key) => {
    const flat = (await reply(run, "HGETALL", key)) as string[];
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
    return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  },
  // Redis's own order (score, then member) is part of the contents.
  zset: (run, key) => reply(run, "ZRANGE", key, "0", "-1", "WITHSCORES"),
  list: (run, key) => reply(run, "LRANGE", key, "0", "-1"),
};

/** Every live key of one side, read through ordinary commands so both sides are read the same way. */
export async function dumpKeyspace(run: Run): Promise<Dump> {
  const dump: Dump = {};
  const keys = ((await reply(run, "KEYS", "*")) as string[]).sort();
  for (const key of keys) {
    const type = (await reply(run, "TYPE", key)) as string;
    const read = CONTENTS[type];
    const value = read ? await read(run, key) : null;
    const expires = ((await reply(run, "PTTL", key)) as number) >= 0;
    dump[key] = { type, value, expires };
  }
  return dump;
}

/**
 * The dump with every string value that is this side's run_id written `<run_id>`: what a script stored of
 * `INFO server` (the fixed server's `{mm}:epoch`) is each process's own, equal when each side stored its own.
 */
export function withRunIdNamed(dump: Dump, runId: string | null): Dump {
  if (runId === null) return dump;
  const named: Dump = {};
  for (const [key, entry] of Object.entries(dump)) named[key] = entry.type === "string" && entry.value === runId ? { ...entry, value: "<run_id>" } : entry;
  return named;
}

export interface DumpDifference {
  key: string;
  sim: KeyDump | null;
  real: KeyDump | null;
}

const isTimestamp = (score: string) => Number(score) >= 1e12;

/**
 * A zset scored by timestamps from each side's own clock may order near-equal members differently; its
 * members are then compared by name (scores within the tolerance), other zsets in Redis's order.
 */
function comparable(dump: KeyDump | null): unknown {
  if (dump === null || dump.type !== "zset") return dump;
  const flat = dump.value as string[];
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
  if (!pairs.some(([, score]) => isTimestamp(score))) return dump;
  return { ...dump, value: pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** The first key the dumps disagree on; null when they agree. */
export function compareDumps(sim: Dump, real: Dump, timestampToleranceMs: number): DumpDifference | null {
  const keys = [...new Set([...Object.keys(sim), ...Object.keys(real)])].sort();
  for (const key of keys) {
    const difference = { key, sim: sim[key] ?? null, real: real[key] ?? null };
    if (!equalWithin(comparable(difference.sim), comparable(difference.real), timestampToleranceMs)) return difference;
  }
  return null;
}
