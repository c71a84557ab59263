import type { MatchConfig } from "../config/config.ts";
import type { ClientSocket, ConnectionEvents, Ports, TimerHandle } from "../ports/index.ts";
import type { MatchServer } from "../server/match-server.ts";
import { allocate, type AllocationRequest } from "./allocation.ts";
import { FixedConnection, type ConnectionHost } from "./connection.ts";
import { errorText, guarded, rejectReply, spawnGuarded, type FixedContext } from "./context.ts";
import { Inbox, type InboxPayload } from "./inbox.ts";
import { Keys } from "./keys.ts";
import { runTick } from "./matchmaking.ts";
import { STATE_LOST_REASON } from "./messages.ts";
import { parseLeave } from "./player-record.ts";
import { Presence } from "./presence.ts";
import { ScriptRunner } from "./scripts.ts";
import { probingLogger, probingRedis } from "../probes/catalog.ts";
import { FIXED_PROBES } from "./probes.ts";
import { runSweep } from "./sweep.ts";

const START_ATTEMPTS = 3;
const CLOSE_SERVICE_RESTART = 1012;
const CLOSE_GOING_AWAY = 1001;

/** One fixed instance: connections, timers (ticks, sweep, presence) and the inbox. */
export class FixedServer implements MatchServer, ConnectionHost {
  readonly variant = "fixed" as const;
  readonly ctx: FixedContext;
  private readonly connections = new Map<string, FixedConnection>();
  /** Leaves that could not reach Redis, by connection id; retried with every presence renewal. */
  private readonly pendingLeaves = new Map<string, string>();
  /** Connections whose resync could not reach Redis; run again with every presence renewal. */
  private readonly owedResyncs = new Set<string>();
  private readonly timers: TimerHandle[] = [];
  /** Periodic jobs still running are not started again: under latency they would pile up. */
  private readonly running = new Set<string>();
  private readonly inbox: Inbox;
  private readonly presence: Presence;
  private nextConnection = 0;
  private stopped = false;

  constructor(config: MatchConfig, given: Ports) {
    // Every logged branch and every script's status word is a probe too.
    const ports = given.probes
      ? {
          ...given,
          logger: probingLogger(given.logger, given.probes, FIXED_PROBES, "fixed."),
          redis: probingRedis(given.redis, given.probes, FIXED_PROBES, "fixed."),
        }
      : given;
    this.ctx = { config, ports, scripts: new ScriptRunner(ports.redis) };
    this.inbox = new Inbox(
      this.ctx,
      (payload) => this.deliver(payload),
      () => this.resync(),
    );
    this.presence = new Presence(this.ctx, () => this.closeAll(CLOSE_SERVICE_RESTART, STATE_LOST_REASON));
  }

  async start(): Promise<void> {
    const { ports, config } = this.ctx;
    // A failure here is retried by the presence timer; until both succeed, enqueues are refused.
    for (let attempt = 0; attempt < START_ATTEMPTS && !this.presence.isRegistered; attempt++) {
      await guarded(this.ctx, "start", () => this.keepPresence());
    }
    for (const mode of config.gameModes) {
      this.every(config.matchTickMs, `tick:${mode.name}`, () => runTick(this.ctx, mode));
    }
    this.every(config.matchTickMs, "sweep", () => runSweep(this.ctx));
    this.every(config.presenceIntervalMs, "presence", () => this.renewPresence());
    ports.logger.log("info", "instance_started", { instance: ports.instanceId, variant: this.variant });
  }

  connect(socket: ClientSocket): ConnectionEvents {
    const id = `${this.ctx.ports.instanceId}/${++this.nextConnection}`;
    const connection = new FixedConnection(this, id, socket);
    if (this.stopped) {
      connection.close(CLOSE_GOING_AWAY, "server stopping");
      return connection;
    }
    this.connections.set(id, connection);
    return connection;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) timer.cancel();
    this.ctx.ports.logger.log("info", "instance_stopped", { instance: this.ctx.ports.instanceId });
  }

  ready(): boolean {
    return this.canEnqueue();
  }

  canEnqueue(): boolean {
    return !this.stopped && this.inbox.isSubscribed && this.presence.isRegistered;
  }

  fenced(): void {
    this.presence.fenced();
  }

  forget(connection: FixedConnection): void {
    this.connections.delete(connection.id);
  }

  allocate(request: AllocationRequest): void {
    spawnGuarded(this.ctx, "allocate", () => allocate(this.ctx, request));
  }

  leaveFailed(player: string, conn: string): void {
    this.pendingLeaves.set(conn, player);
  }

  resyncFailed(conn: string): void {
    this.owedResyncs.add(conn);
  }

  private deliver(payload: InboxPayload): boolean {
    const connection = this.connections.get(payload.conn);
    if (!connection || connection.boundPlayer !== payload.player) return false;
    connection.deliver(payload.message);
    if (payload.close) connection.close(CLOSE_SERVICE_RESTART, "replaced by another connection");
    return true;
  }

  private resync(): void {
    this.ctx.ports.logger.log("warn", "inbox_resubscribed", { instance: this.ctx.ports.instanceId, connections: this.connections.size });
    this.owedResyncs.clear();
    for (const connection of [...this.connections.values()]) connection.resync();
  }

  private closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections.values()]) connection.close(code, reason);
  }

  private every(ms: number, label: string, job: () => Promise<void>): void {
    this.timers.push(
      this.ctx.ports.timers.every(ms, label, () => {
        if (this.running.has(label)) return;
        this.running.add(label);
        spawnGuarded(this.ctx, label, async () => {
          try {
            await job();
          } finally {
            this.running.delete(label);
          }
        });
      }),
    );
  }

  /**
   * Renews presence; when there is none (start, or fenced), registers afresh once the inbox is subscribed and
   * proven to receive, so no record this incarnation creates can have its notifications published to nobody.
   */
  private async keepPresence(): Promise<void> {
    if (this.presence.isRegistered) {
      await this.presence.renew();
      if (this.presence.isRegistered) return;
    }
    if (this.inbox.isSubscribed && !(await this.inbox.verify())) {
      this.ctx.ports.logger.log("warn", "inbox_subscription_lost", { instance: this.ctx.ports.instanceId });
    }
    if (!this.inbox.isSubscribed) {
      await this.inbox.subscribe();
      // A subscription acknowledged on a connection that drops right after is no subscription: prove it.
      if (!(await this.inbox.verify())) return;
    }
    await this.presence.renew();
  }

  private async renewPresence(): Promise<void> {
    await this.keepPresence();
    for (const [conn, player] of [...this.pendingLeaves]) {
      try {
        const outcome = parseLeave(await this.ctx.scripts.run("leave", Keys.player(player), [player, conn]));
        this.pendingLeaves.delete(conn);
        if (!outcome.ok) rejectReply(this.ctx, outcome.error, { conn });
      } catch (error) {
        this.ctx.ports.logger.log("warn", "leave_retry_failed", { conn, error: errorText(error) });
      }
    }
    // Without a subscription a resync tells nobody; the resubscription resyncs every connection anyway.
    if (!this.inbox.isSubscribed) return;
    for (const conn of [...this.owedResyncs]) {
      this.owedResyncs.delete(conn);
      const connection = this.connections.get(conn);
      if (connection === undefined) continue;
      this.ctx.ports.logger.log("info", "resync_retried", { conn });
      connection.retryResync();
    }
  }
}

export function createFixedServer(config: MatchConfig, ports: Ports): MatchServer {
  return new FixedServer(config, ports);
}
