import type { MatchConfig } from "../../../src/config/config.ts";
import { KeyPrefix, Keys } from "../../../src/fixed/keys.ts";
import { emptyView, type KeyspaceSource, type ServerView, type SessionView } from "../../oracle/server-view.ts";

const LIVE = new Set(["loading", "allocating"]);

type Fields = (field: string) => string | undefined;

/**
 * A hash key's fields, read in place when the source can, else from one copy of the hash (the oracle reads
 * after every step, mostly sessions long over). A key that is not a hash has no fields.
 */
export function fieldsOf(redis: Pick<KeyspaceSource, "inspect" | "field">, key: string): Fields {
  if (redis.field) return (name) => redis.field?.(key, name) ?? undefined;
  const value = redis.inspect(key);
  const hash: Record<string, string> = value?.type === "hash" ? value.value : {};
  return (name) => hash[name];
}

/** A sorted set's members with their scores (none for a key that is not one): presences and registrations by expiry. */
export function scores(redis: Pick<KeyspaceSource, "inspect">, key: string): Map<string, number> {
  const value = redis.inspect(key);
  return new Map(value?.type === "zset" ? value.value : []);
}

/** The servers claims may take: the idle pool. */
function idlePool(redis: KeyspaceSource): Set<string> {
  const value = redis.inspect(Keys.idleServers);
  return new Set(value?.type === "zset" ? value.value.map(([id]) => id) : []);
}

/**
 * Whether `key` begins with `prefix`, as startsWith says, compared from the prefix's end: the prefixes differ
 * only after the hash tag they share, so most keys fail at the first character compared. The view tests every
 * key against up to three prefixes each time it is read, and startsWith is a builtin call V8 does not inline.
 */
function under(key: string, prefix: string): boolean {
  if (key.length < prefix.length) return false;
  for (let i = prefix.length - 1; i >= 0; i--) if (key.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Reads the fixed layout of docs/fixed-server.md through the server's own key helpers. */
export function readFixedView(redis: KeyspaceSource, _config: MatchConfig): ServerView {
  const view = emptyView();
  const liveUntil = new Map<string, number>();
  view.ownerLiveUntil = liveUntil;
  const instances = scores(redis, Keys.instances);
  view.instancesLiveUntil = instances;
  let pool: Set<string> | null = null;
  let registered: Map<string, number> | null = null;
  for (const key of redis.keys()) {
    if (under(key, KeyPrefix.queue)) {
      const value = redis.inspect(key);
      if (value?.type !== "zset") continue;
      view.queueModes.set(key, key.slice(KeyPrefix.queue.length));
      for (const [player] of value.value) {
        const queues = view.queued.get(player);
        if (queues) queues.push(key);
        else view.queued.set(player, [key]);
        const owner = fieldsOf(redis, Keys.player(player))("instance");
        const expiry = owner === undefined ? undefined : instances.get(owner);
        if (expiry !== undefined) liveUntil.set(player, expiry);
      }
    } else if (under(key, KeyPrefix.session)) {
      const fields = fieldsOf(redis, key);
      const status = fields("status");
      if (status === undefined || !LIVE.has(status)) continue;
      const members = (fields("players") ?? "").split(",").filter((member) => member !== "");
      const id = key.slice(KeyPrefix.session.length);
      const session: SessionView = { id, key, status, members, ready: members.filter((member) => fields(`ready:${member}`) !== undefined) };
      const mode = fields("mode");
      if (mode !== undefined) session.mode = mode;
      view.sessions.set(id, session);
    } else if (under(key, KeyPrefix.server)) {
      const fields = fieldsOf(redis, key);
      const address = fields("address");
      const status = fields("status");
      const readable = address !== undefined && address !== "" && status !== undefined;
      const id = key.slice(KeyPrefix.server.length);
      // An idle server out of the pool is parked: no claim can take it until its next heartbeat lists it again.
      pool ??= idlePool(redis);
      registered ??= scores(redis, Keys.liveServers);
      view.servers.push({
        id,
        key,
        address: readable ? address : "",
        status: readable ? (status === "idle" && !pool.has(id) ? "parked" : status) : "unreadable",
        registeredUntil: registered.get(id) ?? null,
      });
    }
  }
  return view;
}
