import { findGameMode } from "../config/config.ts";
import { withinDeadline } from "../connection/deadline.ts";
import { FrameRate, type FrameVerdict } from "../connection/frame-rate.ts";
import { Heartbeat } from "../connection/heartbeat.ts";
import type { ClientSocket, ConnectionEvents, RedisReply } from "../ports/index.ts";
import { encodeServerMessage, isUuid, parseClientFrame, type ServerMessage } from "../protocol/index.ts";
import type { AllocationRequest } from "./allocation.ts";
import { errorText, guarded, rejectReply, spawnGuarded, type FixedContext } from "./context.ts";
import { Keys } from "./keys.ts";
import { FixedText, STATE_LOST_REASON } from "./messages.ts";
import { parseEnqueue, parseLeave, parseReady, parseResync } from "./player-record.ts";

/** What a connection needs from its instance. */
export interface ConnectionHost {
  readonly ctx: FixedContext;
  /** The inbox is subscribed and presence registered: records this instance creates will be reaped if it dies. */
  canEnqueue(): boolean;
  /** A script refused this instance as dead. */
  fenced(): void;
  forget(connection: FixedConnection): void;
  allocate(request: AllocationRequest): void;
  /** A leave that could not reach Redis, to be retried until it does. */
  leaveFailed(player: string, conn: string): void;
  /** A resync that could not reach Redis, to be run again until it does. */
  resyncFailed(conn: string): void;
}

const ENQUEUE_ATTEMPTS = 3;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_INTERNAL_ERROR = 1011;
const CLOSE_SERVICE_RESTART = 1012;

/**
 * One client connection. Its handlers run one after the other (a leave always after the enqueue that came
 * before it, or a closed connection could leave a record behind), each through the supervisor and guarded.
 */
export class FixedConnection implements ConnectionEvents {
  private player: string | null = null;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly heartbeat: Heartbeat;
  private readonly rate: FrameRate;
  /** Requests (enqueue, loading_complete) waiting in the chain or running. */
  private pending = 0;
  /** When the enqueue this connection still waits to see matched was accepted, and for which mode. */
  private waitingSince: { at: number; mode: string } | null = null;
  /**
   * The inbox brought this connection a message since its running enqueue began. Only an enqueue binds a record
   * to a connection, so a message addressed to it proves one applied, and its client has heard where it stands.
   */
  private heardSinceEnqueue = false;
  /** How many games this connection has told its client of, or knows a script told it of (on their way). */
  private gamesTold = 0;

  constructor(
    private readonly host: ConnectionHost,
    readonly id: string,
    private readonly socket: ClientSocket,
  ) {
    const { ports, config } = host.ctx;
    this.heartbeat = new Heartbeat(ports.clock, ports.timers, config.heartbeatIntervalMs, config.clientTimeoutMs, {
      ping: () => this.ping(),
      timedOut: () => this.close(1000, "heartbeat timeout"),
    });
    this.rate = new FrameRate(ports.clock, config.maxFramesPerSecond);
  }

  get boundPlayer(): string | null {
    return this.player;
  }

  onText(text: string): void {
    this.heartbeat.alive();
    if (this.closed) return;
    const verdict = this.rate.take();
    if (verdict !== "admit") return this.overRate(verdict);
    const frame = parseClientFrame(text);
    if (!frame.ok) {
      this.reject(frame.error.kind, FixedText.invalidFormat);
      return;
    }
    if (frame.value.type === "enqueue") this.onEnqueue(frame.value.player_id, frame.value.game_mode);
    else this.onLoadingComplete(frame.value.loading_session_id);
  }

  onPong(): void {
    this.heartbeat.alive();
  }

  onClose(): void {
    this.shutdown();
  }

  send(message: ServerMessage): void {
    if (this.closed) return;
    if (message.type === "match_found") {
      this.gamesTold++;
      if (this.waitingSince !== null) {
        const { ports } = this.host.ctx;
        const { at, mode } = this.waitingSince;
        ports.metrics.observe("enqueue_to_match_seconds", Math.max(0, ports.clock.now() - at) / 1000, { mode });
        this.waitingSince = null;
      }
    }
    try {
      this.socket.send(encodeServerMessage(message));
    } catch (error) {
      this.host.ctx.ports.logger.log("warn", "send_failed", { conn: this.id, error: errorText(error) });
    }
  }

  /**
   * Messages to this instance may have been lost (its subscription dropped and came back): tells the client again
   * where its player stands, after whatever this connection's handlers are still doing. A connection that no
   * longer holds its player (told so in a message that was lost, or its record ended) is closed: the client
   * reconnects and starts from what the server holds.
   */
  resync(): void {
    const player = this.player;
    if (player === null) return;
    // What was lost stays lost until a resync gets through: nothing else would tell the client again.
    this.serial("resync", () => this.tellAgain(player), () => this.host.resyncFailed(this.id));
  }

  /**
   * A resync that failed, run again (at a presence round) beside this connection's handlers rather than after
   * them: requests the client sent meanwhile are not held back behind it, and it only tells what Redis holds.
   */
  retryResync(): void {
    const player = this.player;
    if (player === null || this.closed) return;
    spawnGuarded(this.host.ctx, "resync", () => this.tellAgain(player), () => this.host.resyncFailed(this.id));
  }

  private async tellAgain(player: string): Promise<void> {
    const { ctx } = this.host;
    const outcome = parseResync(await ctx.scripts.retry("resync", Keys.player(player), [player, this.id]));
    if (!outcome.ok) rejectReply(ctx, outcome.error, { conn: this.id });
    else if (outcome.value.kind === "gone") this.close(CLOSE_SERVICE_RESTART, "state lost");
    // Its game ended while the client may not have heard of it: it starts over, and is a new request.
    else if (outcome.value.kind === "over") this.close(CLOSE_SERVICE_RESTART, "game over");
  }

  /** A message the inbox routed to this connection's player. */
  deliver(message: ServerMessage): void {
    this.heardSinceEnqueue = true;
    this.send(message);
  }

  /** Closes from the server's side; the leave follows. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    try {
      this.socket.close(code, reason);
    } catch (error) {
      this.host.ctx.ports.logger.log("warn", "close_failed", { conn: this.id, error: errorText(error) });
    }
    this.shutdown();
  }

  private ping(): void {
    try {
      this.socket.ping();
    } catch (error) {
      this.host.ctx.ports.logger.log("warn", "ping_failed", { conn: this.id, error: errorText(error) });
    }
  }

  /** A frame over the rate: one error when the client first goes over it, a close if it keeps going. */
  private overRate(verdict: Exclude<FrameVerdict, "admit">): void {
    const { ports, config } = this.host.ctx;
    ports.metrics.increment("frames_refused_total", { reason: "rate_limit" });
    if (verdict === "warn") {
      ports.logger.log("info", "frame_rate_exceeded", { conn: this.id, limit: config.maxFramesPerSecond });
      this.send({ type: "error", message: FixedText.tooManyFrames });
    } else if (verdict === "close") {
      ports.logger.log("warn", "frame_rate_close", { conn: this.id, limit: config.maxFramesPerSecond });
      this.close(CLOSE_POLICY_VIOLATION, "rate limit exceeded");
    }
  }

  /** A request beyond the connection's bound waits for nothing: it is refused at once. */
  private admitRequest(): boolean {
    const { ports, config } = this.host.ctx;
    if (this.pending < config.maxHandlersPerConnection) return true;
    ports.metrics.increment("frames_refused_total", { reason: "in_flight" });
    ports.logger.log("info", "frame_refused_in_flight", { conn: this.id, pending: this.pending });
    this.send({ type: "error", message: FixedText.tooManyRequests });
    return false;
  }

  private reject(kind: string, text: string): void {
    this.host.ctx.ports.metrics.increment("rejected_inputs_total", { source: "client" });
    this.host.ctx.ports.logger.log("info", "frame_rejected", { conn: this.id, kind });
    this.send({ type: "error", message: text });
  }

  private onEnqueue(rawPlayer: string, mode: string): void {
    if (!isUuid(rawPlayer)) return this.reject("bad-player-id", FixedText.invalidFormat);
    if (!findGameMode(this.host.ctx.config, mode)) return this.reject("unknown-mode", FixedText.invalidGameMode(mode));
    const player = rawPlayer.toLowerCase();
    if (this.player !== null && this.player !== player) return this.reject("other-player", FixedText.connectionBound);
    if (!this.admitRequest()) return;
    this.player = player;
    this.waitingSince ??= { at: this.host.ctx.ports.clock.now(), mode };
    const gamesTold = this.gamesTold;
    this.serial(
      "enqueue",
      () => this.enqueue(player, mode, () => this.gamesTold > gamesTold),
      () => this.failEnqueue(),
    );
  }

  private onLoadingComplete(rawSession: string): void {
    if (!isUuid(rawSession)) return this.reject("bad-session-id", FixedText.invalidFormat);
    const player = this.player;
    if (player === null) return this.reject("not-enqueued", FixedText.notEnqueued);
    if (!this.admitRequest()) return;
    const session = rawSession.toLowerCase();
    // A failure is not answered: the client waits for no reply, and the session's own end (allocation or
    // expiry) tells it what happened; an error now would make a loading client believe it was dropped.
    this.serial("loading_complete", () => this.ready(player, session));
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat.stop();
    this.host.forget(this);
    const player = this.player;
    if (player === null) return;
    this.serial(
      "leave",
      () => this.leave(player),
      () => this.host.leaveFailed(player, this.id),
    );
  }

  /** Chained when spawned, not when started, so the order holds however the supervisor schedules starts. */
  private serial(handler: string, work: () => Promise<void>, failed?: () => void): void {
    const previous = this.chain;
    let finish!: () => void;
    this.chain = new Promise<void>((resolve) => (finish = resolve));
    // The leave is never refused, so it never counts against the bound.
    const counted = handler !== "leave";
    if (counted) this.pending++;
    this.host.ctx.ports.supervisor.spawn(handler, async () => {
      try {
        await previous;
        // A closed connection does nothing more but leave.
        if (this.closed && handler !== "leave") return;
        await guarded(this.host.ctx, handler, work, failed);
      } finally {
        if (counted) this.pending--;
        finish();
      }
    });
  }

  private failEnqueue(): void {
    if (this.heardSinceEnqueue) {
      // It applied, and the client was told its outcome: an error now would contradict that (a client told
      // match_found, then this error, would ask again and could be placed in a second game once the first ended).
      this.host.ctx.ports.logger.log("warn", "enqueue_failed_after_answer", { conn: this.id });
      return;
    }
    this.send({ type: "error", message: FixedText.internal });
    // The enqueue may or may not have applied: closing makes the outcome certain (the leave removes it).
    this.close(CLOSE_INTERNAL_ERROR, "internal error");
  }

  /** `overtaken`: the client sent it before this connection told it of a game (a duplicate of the request it answered). */
  private async enqueue(player: string, mode: string, overtaken: () => boolean): Promise<void> {
    const { ctx } = this.host;
    this.heardSinceEnqueue = false;
    if (!this.host.canEnqueue()) {
      ctx.ports.logger.log("warn", "enqueue_refused_unregistered", { conn: this.id });
      return this.failEnqueue();
    }
    let late = false;
    const work = this.enqueueAttempts(player, mode, overtaken, () => late);
    const first = await withinDeadline(ctx.ports.timers, ctx.config.enqueueTimeoutMs, "enqueue deadline", work);
    if (first.late) {
      late = true;
      ctx.ports.logger.log("warn", "enqueue_timed_out", { conn: this.id, timeout_ms: ctx.config.enqueueTimeoutMs });
      this.failEnqueue();
      // The chain waits for the attempt in flight, so the close's leave reaches Redis after it and removes
      // whatever it may yet create.
      await work.catch(() => undefined);
      return;
    }
    const { reply, attempts } = first.value;
    const outcome = parseEnqueue(reply);
    if (!outcome.ok) {
      rejectReply(ctx, outcome.error, { conn: this.id });
      return this.failEnqueue();
    }
    const result = outcome.value;
    switch (result.kind) {
      case "queued":
        // `queued` was published by the script itself.
        if (result.how !== "new") ctx.ports.logger.log("info", "enqueue_repaired", { conn: this.id, how: result.how });
        return;
      case "resumed":
        // The player keeps its place; the script told this connection where it stands.
        ctx.ports.logger.log("info", "enqueue_took_over", { conn: this.id, state: result.state });
        return;
      case "already":
        // After a lost reply, `already` is our own earlier attempt: its `queued` is on its way.
        if (attempts === 1) this.send({ type: "error", message: FixedText.alreadyInQueue });
        return;
      case "in_game":
        // The script re-published the game's match_found to this connection.
        this.gamesTold++;
        ctx.ports.logger.log("info", "enqueue_in_game", { conn: this.id });
        return;
      case "fenced":
        // Every record of this instance is gone: the close tells the client to come back and enqueue afresh.
        this.host.fenced();
        this.close(CLOSE_SERVICE_RESTART, STATE_LOST_REASON);
        return;
    }
  }

  /** Up to ENQUEUE_ATTEMPTS tries, none started once `late` says the client has been answered. */
  private async enqueueAttempts(player: string, mode: string, overtaken: () => boolean, late: () => boolean): Promise<{ reply: RedisReply; attempts: number }> {
    const { ctx } = this.host;
    let lastError: unknown = new Error("enqueue abandoned");
    for (let attempts = 1; attempts <= ENQUEUE_ATTEMPTS && !late(); attempts++) {
      try {
        const args = [player, mode, this.id, ctx.ports.instanceId, overtaken() ? "1" : "0"];
        return { reply: await ctx.scripts.run("enqueue", Keys.player(player), args), attempts };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private async ready(player: string, session: string): Promise<void> {
    const { ctx } = this.host;
    const reply = await ctx.scripts.retry("ready", Keys.session(session), [
      player,
      session,
      this.id,
      ctx.config.allocationTimeoutMs,
    ]);
    const outcome = parseReady(reply);
    if (!outcome.ok) {
      rejectReply(ctx, outcome.error, { conn: this.id, session });
      return;
    }
    const result = outcome.value;
    if (result.kind === "allocate") {
      this.host.allocate({ sessionId: session, token: result.token, mode: result.mode, players: result.players });
    } else if (result.kind === "ignored") {
      // A late or stale ready (the session ended or moved on): the client has been or will be told what happened.
      ctx.ports.logger.log("info", "ready_ignored", { conn: this.id, session, reason: result.reason });
    }
  }

  private async leave(player: string): Promise<void> {
    const { ctx } = this.host;
    const outcome = parseLeave(await ctx.scripts.retry("leave", Keys.player(player), [player, this.id]));
    if (!outcome.ok) rejectReply(ctx, outcome.error, { conn: this.id });
    else if (outcome.value.kind === "left") {
      ctx.ports.logger.log("info", "player_left", { conn: this.id, player, state: outcome.value.state });
    }
  }
}
