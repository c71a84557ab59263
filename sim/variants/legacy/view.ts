import type { MatchConfig } from "../../../src/config/config.ts";
import { DEDICATED_SERVER_PREFIX, LOADING_PREFIX, LOCK_PREFIX, queueKey } from "../../../src/legacy/keys.ts";
import { emptyView, type KeyspaceSource, type ServerView } from "../../oracle/server-view.ts";

const SESSION_FIELDS = new Set(["game_mode", "created_at", "status"]);

function pttl(redis: KeyspaceSource, key: string): number {
  const reply = redis.execute("PTTL", [key]);
  return typeof reply === "number" ? reply : -1;
}

/** Reads the legacy layout of DESIGN section 2. */
export function readLegacyView(redis: KeyspaceSource, config: MatchConfig): ServerView {
  const view = emptyView();
  const queuePrefix = queueKey(config, "");
  for (const key of redis.keys()) {
    if (key.startsWith(queuePrefix)) {
      const value = redis.inspect(key);
      if (value?.type !== "set") continue;
      view.queueModes.set(key, key.slice(queuePrefix.length));
      for (const player of value.value) {
        const queues = view.queued.get(player);
        if (queues) queues.push(key);
        else view.queued.set(player, [key]);
      }
    } else if (key.startsWith(LOADING_PREFIX)) {
      const value = redis.inspect(key);
      if (value?.type !== "hash") continue;
      const fields = Object.entries(value.value).filter(([field]) => !SESSION_FIELDS.has(field));
      view.sessions.set(key.slice(LOADING_PREFIX.length), {
        id: key.slice(LOADING_PREFIX.length),
        key,
        status: value.value.status ?? "unknown",
        members: fields.map(([field]) => field),
        ready: fields.filter(([, state]) => state === "ready").map(([field]) => field),
        ...(value.value.game_mode === undefined ? {} : { mode: value.value.game_mode }),
      });
    } else if (key.startsWith(DEDICATED_SERVER_PREFIX)) {
      const value = redis.inspect(key);
      let parsed: { address?: unknown; status?: unknown } = {};
      try {
        parsed = value?.type === "string" ? (JSON.parse(value.value) as typeof parsed) : {};
      } catch {
        parsed = {};
      }
      const known = typeof parsed.address === "string" && typeof parsed.status === "string";
      view.servers.push({
        id: key.slice(DEDICATED_SERVER_PREFIX.length),
        key,
        address: known ? (parsed.address as string) : "",
        status: known ? (parsed.status as string) : "unreadable",
      });
    } else if (key.startsWith(LOCK_PREFIX)) {
      view.locks.push({ key, pttl: pttl(redis, key) });
    }
  }
  return view;
}
