import { findGameMode, type GameMode, type MatchConfig } from "../config/config.ts";
import type { Ports } from "../ports/index.ts";
import { ErrorText, type ServerMessage } from "../protocol/index.ts";
import { createGameSession, DedicatedServerProvider } from "./dedicated-servers.ts";
import { LOADING_KEY_PATTERN, loadingKey, loadingLockKey, matchLockKey, queueKey } from "./keys.ts";
import {
  createdAtOf,
  gameModeOf,
  loadingHashFrom,
  playerFields,
  stringListFrom,
  type LoadingHash,
} from "./loading-session.ts";
import { DistributedLock, type HeldLock } from "./lock.ts";
import { publishToPlayer } from "./notifier.ts";
import { scanKeys } from "./scan.ts";
import { LOADING_COMPLETE_SCRIPT, MATCH_SCRIPT } from "./scripts.ts";
import { parseUuidOrPanic } from "./uuid.ts";

/**
 * The original `Matchmaker` actor. Each public method is a message sent with `do_send`: its handler runs
 * concurrently with every other, each Redis call an await point, and nothing but the original's own error
 * handling stands between a thrown error and the supervisor.
 */
export class Matchmaker {
  private readonly lock: DistributedLock;
  private readonly provider: DedicatedServerProvider;

  constructor(
    private readonly config: MatchConfig,
    private readonly ports: Ports,
  ) {
    this.lock = new DistributedLock(ports.redis, ports.random, ports.logger, config.lockDurationMs);
    this.provider = new DedicatedServerProvider(ports.redis, ports.logger);
  }

  enqueuePlayer(player: string, mode: string): void {
    this.ports.supervisor.spawn("EnqueuePlayer", () => this.onEnqueuePlayer(player, mode));
  }

  dequeuePlayer(player: string, mode: string): void {
    this.ports.supervisor.spawn("DequeuePlayer", () => this.onDequeuePlayer(player, mode));
  }

  tryMatch(mode: GameMode): void {
    this.ports.supervisor.spawn("TryMatch", () => this.onTryMatch(mode));
  }

  handleLoadingComplete(player: string, sessionId: string): void {
    this.ports.supervisor.spawn("HandleLoadingComplete", () => this.onHandleLoadingComplete(player, sessionId));
  }

  cancelLoadingSession(player: string, sessionId: string): void {
    this.ports.supervisor.spawn("CancelLoadingSession", () => this.onCancelLoadingSession(player, sessionId));
  }

  checkStaleLoadingSessions(): void {
    this.ports.supervisor.spawn("CheckStaleLoadingSessions", () => this.onCheckStaleLoadingSessions());
  }

  private get logger() {
    return this.ports.logger;
  }

  private get redis() {
    return this.ports.redis;
  }

  private publish(player: string, message: ServerMessage): Promise<void> {
    return publishToPlayer(this.redis, this.logger, player, message);
  }

  /** Publishes one message to each player, parsing each id first: a bad id panics mid-loop. */
  private async publishToEach(players: readonly string[], message: ServerMessage): Promise<void> {
    for (const player of players) {
      await this.publish(parseUuidOrPanic(player), message);
    }
  }

  /** The original's `requeue_players`: one SADD, errors only logged. */
  private async requeuePlayers(queue: string, players: readonly string[]): Promise<void> {
    this.logger.log("warn", "players_requeued", { queue, players });
    if (players.length === 0) return;
    try {
      await this.redis.call("SADD", queue, ...players);
    } catch (error) {
      this.logger.log("error", "requeue_failed", { queue, players, error: String(error) });
    }
  }

  private async onEnqueuePlayer(player: string, mode: string): Promise<void> {
    if (findGameMode(this.config, mode) === undefined) {
      this.logger.log("warn", "enqueue_invalid_mode", { player, mode });
      this.ports.metrics.increment("rejected_inputs_total", { reason: "invalid_game_mode" });
      await this.publish(player, { type: "error", message: ErrorText.invalidGameMode(mode) });
      return;
    }
    const queue = queueKey(this.config, mode);
    let added: number;
    try {
      added = Number(await this.redis.call("SADD", queue, player));
    } catch (error) {
      this.logger.log("error", "enqueue_failed", { player, queue, error: String(error) });
      await this.publish(player, { type: "error", message: ErrorText.internal });
      return;
    }
    if (added > 0) {
      this.logger.log("info", "player_queued", { player, queue });
      await this.publish(player, { type: "queued" });
    } else {
      this.logger.log("warn", "enqueue_already_queued", { player, queue });
      await this.publish(player, { type: "error", message: ErrorText.alreadyInQueue });
    }
  }

  private async onDequeuePlayer(player: string, mode: string): Promise<void> {
    const queue = queueKey(this.config, mode);
    try {
      const removed = Number(await this.redis.call("SREM", queue, player));
      this.logger.log(removed > 0 ? "info" : "debug", removed > 0 ? "player_dequeued" : "dequeue_not_queued", {
        player,
        queue,
      });
    } catch (error) {
      this.logger.log("error", "dequeue_failed", { player, queue, error: String(error) });
    }
  }

  /** Acquires a lock, logging a Redis error as the original does; null when not acquired for any reason. */
  private async tryLock(key: string, busyEvent: string, fields: Record<string, string>): Promise<HeldLock | null> {
    let held: HeldLock | null;
    try {
      held = await this.lock.acquire(key);
    } catch (error) {
      this.logger.log("error", "lock_acquire_failed", { ...fields, key, error: String(error) });
      return null;
    }
    if (held === null) this.logger.log("info", busyEvent, { ...fields, key });
    return held;
  }

  private async onTryMatch(mode: GameMode): Promise<void> {
    const queue = queueKey(this.config, mode.name);
    const held = await this.tryLock(matchLockKey(mode.name), "match_lock_busy", { mode: mode.name });
    if (held === null) return;

    let players: string[] | null;
    try {
      players = stringListFrom(await this.redis.runScript(MATCH_SCRIPT, [queue], [mode.requiredPlayers]));
      if (players === null) throw new Error("match script returned something other than a list of ids");
    } catch (error) {
      this.logger.log("error", "match_script_failed", { queue, error: String(error) });
      await this.lock.release(held);
      return;
    }

    if (players.length === mode.requiredPlayers) {
      const sessionId = this.ports.random.uuid();
      const key = loadingKey(sessionId);
      const fields: string[] = [];
      for (const player of players) fields.push(player, "loading");
      const createdAt = String(Math.floor(this.ports.clock.now() / 1000));
      fields.push("game_mode", mode.name, "created_at", createdAt, "status", "loading");
      try {
        await this.redis.call("HSET", key, ...fields);
      } catch (error) {
        this.logger.log("error", "loading_session_create_failed", { session: sessionId, error: String(error) });
        await this.requeuePlayers(queue, players);
        await this.lock.release(held);
        return;
      }
      this.logger.log("info", "loading_session_created", { session: sessionId, mode: mode.name, players });
      // A panic here leaves the match lock held until its PX runs out, as the original's did.
      await this.publishToEach(players, { type: "start_loading", loading_session_id: sessionId });
    }

    await this.lock.release(held);
  }

  private async onHandleLoadingComplete(player: string, sessionId: string): Promise<void> {
    const key = loadingKey(sessionId);
    const held = await this.tryLock(loadingLockKey(key), "loading_complete_lock_busy", {
      player,
      session: sessionId,
    });
    // Seed defect 2: the ready signal is simply lost when someone else holds the session lock.
    if (held === null) return;

    let reply: string[] | Error;
    try {
      reply = stringListFrom(await this.redis.runScript(LOADING_COMPLETE_SCRIPT, [key], [player])) ??
        new Error("loading-complete script returned something other than a list");
    } catch (error) {
      reply = error instanceof Error ? error : new Error(String(error));
    }
    // Seed defect 1: the lock goes before the allocation below, which then runs unprotected.
    await this.lock.release(held);

    if (reply instanceof Error) {
      this.logger.log("error", "loading_complete_script_failed", { session: sessionId, error: reply.message });
      return;
    }
    const [gameMode, ...players] = reply;
    if (gameMode === undefined) {
      this.logger.log("info", "loading_complete_waiting", { player, session: sessionId });
      return;
    }
    this.logger.log("info", "allocation_started", { session: sessionId, players });
    await this.allocate(gameMode, players);
  }

  /** Finds a server and creates the game; every failure re-queues silently (no message to anyone). */
  private async allocate(gameMode: string, players: readonly string[]): Promise<void> {
    const queue = queueKey(this.config, gameMode);
    const server = await this.provider.findAvailableServer();
    if (!server.ok) {
      this.allocationFailed(gameMode, "no_idle_server");
      await this.requeuePlayers(queue, players);
      return;
    }
    const ids = players.map(parseUuidOrPanic);
    const created = await createGameSession(
      this.ports.http,
      server.value.address,
      ids,
      this.config.allocationRequestTimeoutMs,
    );
    if (!created.ok) {
      this.allocationFailed(gameMode, created.error, server.value.address);
      await this.requeuePlayers(queue, players);
      return;
    }
    this.logger.log("info", "match_created", {
      mode: gameMode,
      session: created.value.session_id,
      address: server.value.address,
      players,
    });
    this.ports.metrics.increment("matches_total", { mode: gameMode });
    await this.publishToEach(players, {
      type: "match_found",
      session_id: created.value.session_id,
      server_address: created.value.server_address,
    });
  }

  private allocationFailed(gameMode: string, reason: string, address?: string): void {
    this.logger.log("error", "allocation_failed", { mode: gameMode, reason, address });
    this.ports.metrics.increment("allocation_failures_total", { reason });
  }

  private async readLoadingHash(key: string): Promise<LoadingHash | null> {
    try {
      return loadingHashFrom(await this.redis.call("HGETALL", key));
    } catch (error) {
      this.logger.log("error", "loading_session_read_failed", { key, error: String(error) });
      return null;
    }
  }

  private async onCancelLoadingSession(player: string, sessionId: string): Promise<void> {
    const key = loadingKey(sessionId);
    const held = await this.tryLock(loadingLockKey(key), "cancel_lock_busy", { player, session: sessionId });
    if (held === null) return;

    const hash = await this.readLoadingHash(key);
    if (hash === null || hash.size === 0) {
      this.logger.log("warn", "cancel_session_missing", { player, session: sessionId });
      await this.lock.release(held);
      return;
    }
    this.logger.log("info", "loading_session_cancelled", { player, session: sessionId });
    try {
      await this.redis.call("DEL", key);
    } catch (error) {
      this.logger.log("error", "loading_session_delete_failed", { key, error: String(error) });
    }
    await this.lock.release(held);

    const others = playerFields(hash).filter((field) => field !== player);
    if (others.length === 0) return;
    await this.publishToEach(others, { type: "error", message: ErrorText.peerDisconnected });
    await this.requeuePlayers(queueKey(this.config, gameModeOf(hash)), others);
  }

  private async onCheckStaleLoadingSessions(): Promise<void> {
    let keys: string[];
    try {
      keys = await scanKeys(this.redis, LOADING_KEY_PATTERN);
    } catch (error) {
      this.logger.log("error", "stale_sweep_scan_failed", { error: String(error) });
      return;
    }
    for (const key of keys) {
      let held: HeldLock | null;
      try {
        held = await this.lock.acquire(loadingLockKey(key));
      } catch {
        continue;
      }
      if (held === null) continue;
      await this.expireIfStale(key);
      await this.lock.release(held);
    }
  }

  /** Runs under the session lock; a panic inside leaves that lock to expire by PX. */
  private async expireIfStale(key: string): Promise<void> {
    const hash = await this.readLoadingHash(key);
    if (hash === null) return;
    const createdAt = createdAtOf(hash);
    if (createdAt === null) return;
    // Seed defect 3: this instance's own clock against the creating instance's clock.
    const nowSeconds = Math.floor(this.ports.clock.now() / 1000);
    if (!(nowSeconds > createdAt + this.config.loadingTimeoutMs / 1000)) return;

    this.logger.log("warn", "stale_session_expired", { key, created_at: createdAt, now: nowSeconds });
    this.ports.metrics.increment("sessions_expired_total");
    try {
      await this.redis.call("DEL", key);
    } catch {
      // The original ignores this error and re-queues anyway.
    }
    // Every member goes back to the queue, connected or not.
    const players = playerFields(hash);
    if (players.length === 0) return;
    await this.publishToEach(players, { type: "error", message: ErrorText.timedOut });
    await this.requeuePlayers(queueKey(this.config, gameModeOf(hash)), players);
  }
}
