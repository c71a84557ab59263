import type { Logger, Metrics, Probes, Random, RedisPort, TimerHandle, Timers } from "../ports/index.ts";
import { probingLogger, probingRedis } from "../probes/catalog.ts";
import type { Variant } from "../server/match-server.ts";
import { isIdempotencyKey, parseCreateSessionRequest, type CreateSessionRequest } from "./create-session-request.ts";
import { ReplyMemory } from "./idempotency.ts";
import { DEDICATED_PROBES } from "./probes.ts";
import { REGISTRY_LAYOUTS } from "./registry-layout.ts";

/** Idempotency keys remembered; one per session ever created is plenty for a test or load run. */
export const REMEMBERED_KEYS_LIMIT = 10_000;

/** A commit normally lands within milliseconds of the create reply; this covers a slow allocator too. */
export const RELEASE_ATTEMPTS = 20;
export const RELEASE_RETRY_MS = 250;
/** How often a release is asked again while the server is still claimed (its game's commit not landed yet). */
export const PENDING_RELEASE_RETRY_MS = 1_000;

/** As an instance's presence: renewed every 5 s, so two lost heartbeats in a row still leave it registered. */
export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_REGISTRATION_TTL_MS = 15_000;

/** Games that end: `lengthMs` after a session is created the game is over and the server idle again. */
export interface GameLength {
  lengthMs: number;
  timers: Timers;
}

export interface HttpReply {
  status: number;
  body: string;
}

/** Request headers as node:http gives them (lower-case names); other transports may use any case. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface DedicatedServerOptions {
  variant: Variant;
  id: string;
  /** `host:port` the match server reaches this server on; also where players are sent. */
  address: string;
  random: Random;
  redis: RedisPort;
  logger: Logger;
  /** Absent: games never end, as in the simulation, and a server hosts one game for good. */
  games?: GameLength;
  /** How long a registration lasts unrenewed, where the layout lets it expire (default 15 s). */
  registrationTtlMs?: number;
  /** Where branches worth knowing about are counted; absent, nowhere. */
  probes?: Probes;
  /** Renews the registration every `intervalMs`; absent, nothing renews it (`keepAlive` does nothing). */
  heartbeat?: { timers: Timers; intervalMs: number };
  metrics?: Metrics;
}

/** A game server's side of matchmaking, independent of the transport that carries its requests. */
export class DedicatedServer {
  private readonly remembered = new ReplyMemory<HttpReply>(REMEMBERED_KEYS_LIMIT);
  /** Games not over yet: the server is idle again only when none is left. */
  private readonly running = new Set<string>();
  /**
   * Games over since the server last hosted none. The registry knows the server busy with one game, and not
   * always the last to end (a game created for an allocation that failed to commit runs unused beside it), so
   * each is released once the server hosts none: the one it is busy with releases it, the others are stale.
   */
  private readonly over: string[] = [];
  /** Games whose release is under way: asked, waiting to ask again, or left to the heartbeat (`stranded`). */
  private readonly releasing = new Set<string>();
  /**
   * Games whose release ran out of quick retries (Redis out of reach all along). The heartbeat asks again once it
   * reaches Redis: it renews the registration as it stands, busy included, so a release given up for good would
   * leave the server busy for as long as the process lives, offered to nobody.
   */
  private readonly stranded: string[] = [];
  private created = 0;
  private registered = false;
  private beating = false;
  /** Stopped for good: a registration still on its way when it stopped must not start a heartbeat after it. */
  private stopped = false;
  private heartbeatTimer: TimerHandle | null = null;

  private readonly options: DedicatedServerOptions;

  constructor(given: DedicatedServerOptions) {
    // Every logged branch and every registration or release status word is a probe too.
    const probes = given.probes;
    this.options = probes
      ? {
          ...given,
          logger: probingLogger(given.logger, probes, DEDICATED_PROBES, "ds."),
          redis: probingRedis(given.redis, probes, DEDICATED_PROBES, "ds."),
        }
      : given;
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  /** Releases under way: games over whose release has neither landed nor been dropped (by a game started since, or a fresh registration). */
  get releasesUnderWay(): number {
    return this.releasing.size;
  }

  /** Games that are not over; without a game length, every game it ever created. */
  get gamesRunning(): number {
    return this.options.games ? this.running.size : this.created;
  }

  /** Announces this server as idle in the variant's layout. Rejects on a Redis error. */
  async register(): Promise<void> {
    const { variant, redis, id, address, logger, metrics } = this.options;
    await REGISTRY_LAYOUTS[variant].register(redis, id, address, this.ttlMs);
    this.registered = true;
    metrics?.increment("registrations_total");
    logger.log("info", "dedicated_server_registered", { variant, id, address });
  }

  /**
   * Keeps the registration alive where the layout lets it expire: renews it every heartbeat and, once it is gone
   * (reaped, or Redis lost its data), registers afresh as soon as no game of its own is running here, so a
   * server that still hosts a game is never offered as idle.
   */
  keepAlive(): void {
    const { variant, heartbeat } = this.options;
    if (this.stopped || !heartbeat || !REGISTRY_LAYOUTS[variant].renew || this.heartbeatTimer) return;
    this.heartbeatTimer = heartbeat.timers.every(heartbeat.intervalMs, "registration", () => void this.beat());
  }

  stop(): void {
    this.stopped = true;
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = null;
  }

  private get ttlMs(): number {
    return this.options.registrationTtlMs ?? DEFAULT_REGISTRATION_TTL_MS;
  }

  /** One heartbeat; one at a time, as a slow Redis must not pile them up. Nothing escapes it. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    const { variant, redis, id, address, logger, metrics } = this.options;
    try {
      if (this.registered) {
        if (await REGISTRY_LAYOUTS[variant].renew?.(redis, id, address, this.ttlMs)) {
          this.resumeStranded();
          return;
        }
        this.registered = false;
        metrics?.increment("registrations_lost_total");
        logger.log("warn", "dedicated_server_registration_lost", { id, games_running: this.gamesRunning });
      }
      if (this.gamesRunning > 0) return;
      await this.register();
      // A fresh registration puts the server in the pool idle: the releases left over have nothing to do.
      for (const session of this.stranded.splice(0)) this.releasing.delete(session);
    } catch (error) {
      logger.log("warn", "dedicated_server_heartbeat_failed", { id, error: errorText(error) });
    } finally {
      this.beating = false;
    }
  }

  /** `POST /session/create`: validates the body, takes the session, answers where players should go. */
  async handleCreateSession(body: string, headers: RequestHeaders): Promise<HttpReply> {
    // A process whose registration has not landed takes no game where registrations expire (fixed): a claim can
    // only have been made on its predecessor's record, and its own fresh registration, landing later, would put
    // the server back in the pool idle while it hosts that game (a second claim, a second game).
    if (!this.registered && REGISTRY_LAYOUTS[this.options.variant].renew !== undefined) {
      return this.refuse(503, "not_registered", "not registered yet");
    }
    const request = parseCreateSessionRequest(body);
    if (!request.ok) return this.refuse(400, "bad_request", request.error);
    const header = headerValue(headers, "idempotency-key");
    if (header !== null && !isIdempotencyKey(header)) return this.refuse(400, "bad_key", "Idempotency-Key header is invalid");
    const key = idempotencyKeyOf(headers, request.value);
    const players = request.value.players;
    if (key === null) return this.createSession(players);

    let made = false;
    const reply = await this.remembered.replyFor(
      key,
      JSON.stringify(players),
      () => ((made = true), this.createSession(players)),
      (created) => created.status === 200,
    );
    if (reply === "mismatch") return this.refuse(409, "key_reused", "idempotency key already used for other players");
    if (!made) this.options.logger.log("info", "create_session_replayed", { id: this.options.id, status: reply.status });
    return reply;
  }

  private async createSession(players: string[]): Promise<HttpReply> {
    const { variant, redis, id, address, random, logger } = this.options;
    try {
      await REGISTRY_LAYOUTS[variant].markBusy(redis, id, address);
    } catch (error) {
      logger.log("error", "dedicated_server_registry_failed", { id, error: String(error) });
      return { status: 503, body: JSON.stringify({ error: "registry unavailable" }) };
    }
    const sessionId = random.uuid();
    this.created++;
    this.options.metrics?.increment("games_created_total");
    logger.log("info", "game_session_created", { id, session_id: sessionId, players });
    this.startGame(sessionId);
    return {
      status: 200,
      body: JSON.stringify({ server_address: `ws://${address}/game?session_id=${sessionId}`, session_id: sessionId }),
    };
  }

  private startGame(session: string): void {
    const games = this.options.games;
    if (!games) return;
    this.running.add(session);
    games.timers.after(games.lengthMs, `game over:${session}`, () => {
      this.running.delete(session);
      this.over.push(session);
      this.options.logger.log("info", "game_over", { id: this.options.id, session_id: session, still_running: this.running.size });
      if (this.running.size === 0) {
        for (const ended of this.over.splice(0)) {
          this.releasing.add(ended);
          void this.release(ended, 1);
        }
      }
    });
  }

  /**
   * Asks again for the releases that ran out of quick retries, now that a heartbeat reached Redis; while a game
   * runs they wait for a later heartbeat, as the registry may still be busy with theirs.
   */
  private resumeStranded(): void {
    if (this.running.size > 0) return;
    for (const session of this.stranded.splice(0)) void this.release(session, 1);
  }

  /** Back to idle in the registry. Retried while a commit may still be on its way, or Redis failed. */
  private async release(session: string, attempt: number): Promise<void> {
    const { variant, redis, id, address, logger, games } = this.options;
    // A game that started since is the server's now: it must not be marked idle under it.
    if (this.running.size > 0 || !games) {
      this.releasing.delete(session);
      return;
    }
    let outcome: string;
    try {
      outcome = await REGISTRY_LAYOUTS[variant].finishGame(redis, id, address, session);
    } catch (error) {
      logger.log("warn", "dedicated_server_release_failed", { id, session_id: session, attempt, error: String(error) });
      outcome = "failed";
    }
    if (outcome === "released" || outcome === "stale") {
      this.releasing.delete(session);
      logger.log("info", "dedicated_server_released", { id, session_id: session, result: outcome });
      return;
    }
    if (outcome === "pending") {
      // A claim always resolves, however late the instance that holds it: its commit makes the server busy (and
      // the next ask releases it) or its session's end frees it (the next ask is stale). Giving up first would
      // leave a server busy with a game long over, offered to nobody; these asks count against no attempts.
      games.timers.after(PENDING_RELEASE_RETRY_MS, `release retry:${session}`, () => void this.release(session, attempt));
      return;
    }
    if (attempt >= RELEASE_ATTEMPTS) {
      this.stranded.push(session);
      logger.log("error", "dedicated_server_release_gave_up", { id, session_id: session, result: outcome });
      return;
    }
    games.timers.after(RELEASE_RETRY_MS, `release retry:${session}`, () => void this.release(session, attempt + 1));
  }

  private refuse(status: number, reason: string, error: string): HttpReply {
    this.options.logger.log("warn", "create_session_refused", { id: this.options.id, status, reason, error });
    return { status, body: JSON.stringify({ error }) };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The idempotency key a create call carries: its Idempotency-Key header's, else its body's; null for neither. */
export function idempotencyKeyOf(headers: RequestHeaders, request: CreateSessionRequest): string | null {
  return headerValue(headers, "idempotency-key") ?? request.idempotencyKey;
}

function headerValue(headers: RequestHeaders, name: string): string | null {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? (value[0] ?? null) : value;
  }
  return null;
}
