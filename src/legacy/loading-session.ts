import type { RedisReply } from "../ports/index.ts";

/** Fields of a `loading:{sid}` hash that are not players; every other field is a player id. */
const META_FIELDS: ReadonlySet<string> = new Set(["game_mode", "created_at", "status"]);

/** A `loading:{sid}` hash as HGETALL returned it, in Redis's field order. */
export type LoadingHash = Map<string, string>;

export function loadingHashFrom(reply: RedisReply): LoadingHash {
  const hash: LoadingHash = new Map();
  if (!Array.isArray(reply)) return hash;
  for (let i = 0; i + 1 < reply.length; i += 2) hash.set(String(reply[i]), String(reply[i + 1]));
  return hash;
}

export function playerFields(hash: LoadingHash): string[] {
  return [...hash.keys()].filter((field) => !META_FIELDS.has(field));
}

/** `game_mode`, or the empty string when missing (the original's `unwrap_or_default`). */
export function gameModeOf(hash: LoadingHash): string {
  return hash.get("game_mode") ?? "";
}

/** `created_at` in whole seconds, parsed like Rust's `str::parse::<u64>`; null when missing or unparseable. */
export function createdAtOf(hash: LoadingHash): number | null {
  const text = hash.get("created_at");
  if (text === undefined || !/^\+?[0-9]+$/.test(text)) return null;
  return Number(text);
}

/** A Lua reply that must be a list of strings (the original deserialises it as `Vec<String>`). */
export function stringListFrom(reply: RedisReply): string[] | null {
  if (!Array.isArray(reply)) return null;
  const list: string[] = [];
  for (const item of reply) {
    if (typeof item !== "string") return null;
    list.push(item);
  }
  return list;
}
