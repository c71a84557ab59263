/**
 * The fixed server's Redis layout, the one place key names are spelled. The Lua scripts get these prefixes
 * through a generated prelude (see scripts.ts), so a rename here reaches every script; the simulation
 * harness reads the layout through these helpers to check invariants.
 *
 * Every key carries the hash tag `{mm}`: every script touches one Redis Cluster slot.
 */
export const HASH_TAG = "{mm}";

export const KeyPrefix = {
  player: `${HASH_TAG}:player:`,
  queue: `${HASH_TAG}:queue:`,
  session: `${HASH_TAG}:session:`,
  server: `${HASH_TAG}:server:`,
  conns: `${HASH_TAG}:conns:`,
  inbox: `${HASH_TAG}:inbox:`,
} as const;

export const Keys = {
  /**
   * STRING: the run_id of the Redis process the slot's state was written under. Every script compares it with
   * Redis's own (`INFO server`) first: another one means Redis restarted from older data (lib.lua).
   */
  epoch: `${HASH_TAG}:epoch`,
  /** HASH: `state`, `mode`, `session`, `conn`, `instance`, `seq`. */
  player: (playerId: string) => `${KeyPrefix.player}${playerId}`,
  /** ZSET of queued player ids scored by enqueue sequence. */
  queue: (mode: string) => `${KeyPrefix.queue}${mode}`,
  /** HASH: `status`, `mode`, `deadline`, `players`, `ready:<pid>`, `token`, `server`, `allocator`, ... */
  session: (sessionId: string) => `${KeyPrefix.session}${sessionId}`,
  /** ZSET of live session ids scored by the deadline of their current status. */
  deadlines: `${HASH_TAG}:deadlines`,
  /** ZSET of idle dedicated server ids. */
  idleServers: `${HASH_TAG}:servers:idle`,
  /** ZSET of registered dedicated server ids scored by registration expiry (ms, Redis TIME); a heartbeat renews it. */
  liveServers: `${HASH_TAG}:servers:live`,
  /** HASH: `address`, `status` (`idle`/`claimed`/`busy`), `session`. */
  server: (serverId: string) => `${KeyPrefix.server}${serverId}`,
  /** ZSET of live instance ids scored by presence expiry (ms, Redis TIME). */
  instances: `${HASH_TAG}:instances`,
  /** SET of player ids whose record a connection of that instance owns. */
  conns: (instanceId: string) => `${KeyPrefix.conns}${instanceId}`,
  /** Pub/sub channel of one instance: `{"conn","player","message"[,"close"]}`. */
  inbox: (instanceId: string) => `${KeyPrefix.inbox}${instanceId}`,
  /** INCR counter for allocation fencing tokens. */
  fence: `${HASH_TAG}:fence`,
  /** INCR counter ordering the queue and the idle server pool. */
  seq: `${HASH_TAG}:seq`,
} as const;

/** Every key of the slot, as a KEYS pattern: what a script wipes when Redis went back in time. */
export const SLOT_PATTERN = `${HASH_TAG}:*`;

export type PlayerState = "queued" | "loading" | "allocating" | "in_game";
export const PLAYER_STATES: readonly PlayerState[] = ["queued", "loading", "allocating", "in_game"];

export type SessionStatus = "loading" | "allocating" | "matched" | "cancelled" | "expired";
export const SESSION_STATUSES: readonly SessionStatus[] = ["loading", "allocating", "matched", "cancelled", "expired"];

export type ServerStatus = "idle" | "claimed" | "busy";
export const SERVER_STATUSES: readonly ServerStatus[] = ["idle", "claimed", "busy"];

/** Ended sessions are kept this long for inspection. */
export const ENDED_SESSION_TTL_MS = 3_600_000;
/** Live sessions expire this long after their deadline, a backstop should every sweeper be gone. */
export const LIVE_SESSION_TTL_GRACE_MS = 600_000;
