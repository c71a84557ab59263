import type { SimulatedRedis } from "../redis/contract.ts";

/** A variant's Redis contents read into the terms the invariants speak: who is where. */
export interface SessionView {
  id: string;
  status: string;
  members: string[];
  ready: string[];
  key: string;
  /** The game mode it was opened for, when the record says. */
  mode?: string;
}

export interface ServerSlotView {
  id: string;
  address: string;
  /**
   * `idle`, `claimed`, `busy`, or `unreadable` for data the oracle cannot parse; `parked` for a variant whose
   * idle server can be out of the pool claims take from (fixed: after a call to it never got through).
   */
  status: string;
  key: string;
  /**
   * Until when (Redis TIME, ms) its registration lasts unrenewed, null when it is not registered at all, for a
   * variant whose servers register with an expiry (fixed); absent where the variant has no such thing.
   */
  registeredUntil?: number | null;
}

export interface ServerView {
  /** Player id -> the queue keys holding it. */
  queued: Map<string, string[]>;
  /** Queue key -> the game mode it queues (every queue key a reader met). */
  queueModes: Map<string, string>;
  /** Sessions that still place their members (loading or allocating). */
  sessions: Map<string, SessionView>;
  servers: ServerSlotView[];
  /** Lock keys with their remaining PTTL (-1: no expiry). */
  locks: Array<{ key: string; pttl: number }>;
  /**
   * Queued player -> until when (Redis TIME, ms) the instance owning its record counts as live, for a variant
   * whose matching passes over the players of an instance presumed dead (fixed: `match` skips them, and they
   * wait for the instance to renew or be reaped). Absent: no queued player is ever passed over.
   */
  ownerLiveUntil?: Map<string, number>;
  /**
   * Instance id -> until when (Redis TIME, ms) its presence lasts, for a variant whose surviving instances reap
   * one whose presence lapsed, purging its players as if they had left (fixed). Absent: none is presumed dead.
   */
  instancesLiveUntil?: Map<string, number>;
}

/** The server holds no session: idle, in the pool or parked out of it until its next heartbeat. */
export function holdsNoSession(server: ServerSlotView): boolean {
  return server.status === "idle" || server.status === "parked";
}

export function emptyView(): ServerView {
  return { queued: new Map(), queueModes: new Map(), sessions: new Map(), servers: [], locks: [] };
}

/**
 * The last view's placements. One entry is enough (the oracle asks about the current view, step after step);
 * a WeakMap would also keep every view's placements through young-generation GCs, as V8's scavenger takes
 * the values of a long-lived WeakMap as alive.
 */
let cached: { view: ServerView; placements: Map<string, string[]> } | null = null;

/** Player id -> every place (queue key or session key) holding it, built once per view. */
export function placementsOf(view: ServerView): Map<string, string[]> {
  if (cached !== null && cached.view === view) return cached.placements;
  const placements = new Map<string, string[]>();
  for (const [player, queues] of view.queued) placements.set(player, [...queues]);
  for (const session of view.sessions.values()) {
    for (const member of session.members) {
      const places = placements.get(member);
      if (places) places.push(session.key);
      else placements.set(member, [session.key]);
    }
  }
  cached = { view, placements };
  return placements;
}

/** Every place (queue key or session key) the server holds a player in. */
export function placesOf(view: ServerView, player: string): string[] {
  return placementsOf(view).get(player) ?? [];
}

/**
 * What a reader needs of a Redis: the simulated one, or a snapshot taken of a real one. `field` is there when
 * the source can read a hash field without copying the hash.
 */
export type KeyspaceSource = Pick<SimulatedRedis, "keys" | "inspect" | "execute"> & Partial<Pick<SimulatedRedis, "field">>;

/** The server may pass over this queued player at `redisNow`: its owning instance no longer counts as live. */
export function passedOver(view: ServerView, player: string, redisNow: number): boolean {
  if (view.ownerLiveUntil === undefined) return false;
  const until = view.ownerLiveUntil.get(player);
  return until === undefined || until < redisNow;
}
