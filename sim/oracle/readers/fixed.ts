import type { MatchConfig } from "../../../src/config/config.ts";
import { KeyPrefix } from "../../../src/fixed/keys.ts";
import { emptyView, type KeyspaceSource, type ServerView } from "../server-view.ts";

const LIVE = new Set(["loading", "allocating"]);

/** Reads the fixed layout of docs/fixed-server.md through the server's own key helpers. */
export function readFixedView(redis: KeyspaceSource, _config: MatchConfig): ServerView {
  const view = emptyView();
  for (const key of redis.keys()) {
    if (key.startsWith(KeyPrefix.queue)) {
      const value = redis.inspect(key);
      if (value?.type !== "zset") continue;
      for (const [player] of value.value) {
        const queues = view.queued.get(player);
        if (queues) queues.push(key);
        else view.queued.set(player, [key]);
      }
    } else if (key.startsWith(KeyPrefix.session)) {
      const value = redis.inspect(key);
      if (value?.type !== "hash") continue;
      const status = value.value.status ?? "unknown";
      if (!LIVE.has(status)) continue;
      const members = (value.value.players ?? "").split(",").filter((member) => member !== "");
      const id = key.slice(KeyPrefix.session.length);
      view.sessions.set(id, {
        id,
        key,
        status,
        members,
        ready: members.filter((member) => value.value[`ready:${member}`] !== undefined),
      });
    } else if (key.startsWith(KeyPrefix.server)) {
      const value = redis.inspect(key);
      const fields = value?.type === "hash" ? value.value : {};
      const readable = typeof fields.address === "string" && fields.address !== "" && typeof fields.status === "string";
      view.servers.push({
        id: key.slice(KeyPrefix.server.length),
        key,
        address: readable ? (fields.address as string) : "",
        status: readable ? (fields.status as string) : "unreadable",
      });
    }
  }
  return view;
}
