import type { MatchConfig } from "../../../src/config/config.ts";
import { emptyView, type KeyspaceSource, type ServerView } from "../server-view.ts";

const SESSION_FIELDS = new Set(["game_mode", "created_at", "status"]);

function pttl(redis: KeyspaceSource, key: string): number {
  const reply = redis.execute("PTTL", [key]);
  return typeof reply === "number" ? reply : -1;
}

/** Reads the legacy layout of DESIGN section 2. */
export function readLegacyView(redis: KeyspaceSource, config: MatchConfig): ServerView {
  const view = emptyView();
  const queuePrefix = `${config.queueKeyPrefix}:`;
  for (const key of redis.keys()) {
    if (key.startsWith(queuePrefix)) {
      const value = redis.inspect(key);
      if (value?.type !== "set") continue;
      for (const player of value.value) {
        const queues = view.queued.get(player);
        if (queues) queues.push(key);
        else view.queued.set(player, [key]);
      }
    } else if (key.startsWith("loading:")) {
      const value = redis.inspect(key);
      if (value?.type !== "hash") continue;
      const fields = Object.entries(value.value).filter(([field]) => !SESSION_FIELDS.has(field));
      view.sessions.set(key.slice("loading:".length), {
        id: key.slice("loading:".length),
        key,
        status: value.value.status ?? "unknown",
        members: fields.map(([field]) => field),
        ready: fields.filter(([, state]) => state === "ready").map(([field]) => field),
      });
    } else if (key.startsWith("dedicated_server:")) {
      const value = redis.inspect(key);
      let parsed: { address?: unknown; status?: unknown } = {};
      try {
        parsed = value?.type === "string" ? (JSON.parse(value.value) as typeof parsed) : {};
      } catch {
        parsed = {};
      }
      const known = typeof parsed.address === "string" && typeof parsed.status === "string";
      view.servers.push({
        id: key.slice("dedicated_server:".length),
        key,
        address: known ? (parsed.address as string) : "",
        status: known ? (parsed.status as string) : "unreadable",
      });
    } else if (key.startsWith("lock:")) {
      view.locks.push({ key, pttl: pttl(redis, key) });
    }
  }
  return view;
}
