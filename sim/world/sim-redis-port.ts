import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import type { Delivery, SimulatedRedis } from "../redis/contract.ts";
import type { RedisEvent, RedisOutcome } from "../trace/events.ts";
import { runCachedScript } from "../../src/adapters/cached-script.ts";
import { MAX_RETRIES_ERROR } from "../../src/adapters/redis-retry.ts";
import { offlineQueueGivesUp } from "./offline-queue.ts";
import { Rng } from "../random/rng.ts";
import { hopLatency, type SimContext } from "./context.ts";

export const CONNECTION_LOST = "Connection is closed.";

const NONE: readonly string[] = [];

/**
 * One client connection to the simulated Redis. Each command is a step on this connection's FIFO source, so
 * commands from one connection execute in the order they were sent, as over TCP, while other connections'
 * commands may run in between.
 */
export class SimRedisPort implements RedisPort {
  private readonly listeners = new Map<string, MessageListener>();
  /** What the connection subscribed to, to subscribe again after a reconnect. */
  private readonly subscriptions = new Map<string, { kind: "PSUBSCRIBE" | "SUBSCRIBE"; listener: MessageListener }>();
  /** Counts the connections this client has had: a step made on an older one is lost with it. */
  private generation = 0;
  /** Since and until when the client is reconnecting: what it sends waits in its offline queue (as ioredis's). */
  private offlineSince = 0;
  private offlineUntil = 0;
  /** A fault chose to lose the next command this connection runs, or its reply. */
  private nextLoss: "lost-before" | "lost-after" | null = null;
  /**
   * A lossy stretch: until when, with what chance per command, drawn from a stream of this connection's own (its
   * commands run in the order sent, so the draws follow them whatever other lanes do in between).
   */
  private lossy: { until: number; chance: number; rng: Rng } | null = null;
  /** Lossy stretches so far: each draws from a stream of its own. */
  private stretches = 0;
  /** Told when the subscriptions are back after a loss (see RedisPort.onResubscribed). */
  private readonly resubscribed: Array<() => void> = [];

  constructor(
    private readonly context: SimContext,
    private readonly redis: SimulatedRedis,
    /** Client name, also the pub/sub subscriber name. */
    readonly client: string,
    private readonly owner: string | null,
    private readonly lane: string,
    private readonly onExecuted: () => void,
  ) {
    this.source = `redis:${client}`;
    this.pushSource = `push:${client}`;
  }

  /**
   * The FIFO channel this connection's commands are steps of, and the one its pushes are: named once, as every
   * command is a step looked up by its source, and a name built anew for each would be hashed anew.
   */
  readonly source: string;
  private readonly pushSource: string;

  /** The next command this connection runs is lost before Redis applies it, or applied with its reply lost. */
  loseNext(outcome: "lost-before" | "lost-after"): void {
    this.nextLoss = outcome;
  }

  /** See LossyConnection.lossyFor. */
  lossyFor(durationMs: number, chance: number): string {
    const until = this.context.steps.now + durationMs;
    this.lossy = { until, chance, rng: new Rng(`lossy:${this.client}:${this.stretches++}`) };
    return `${this.client} loses ${Math.round(chance * 100)}% of its commands or replies for ${durationMs} ms`;
  }

  /** The lossy stretch's verdict on a command running now: lost before, after, or not at all. */
  private lossyLoss(): "lost-before" | "lost-after" | null {
    const lossy = this.lossy;
    if (lossy === null) return null;
    if (this.context.steps.now > lossy.until) {
      this.lossy = null;
      return null;
    }
    if (!lossy.rng.chance(lossy.chance)) return null;
    return lossy.rng.chance(0.5) ? "lost-before" : "lost-after";
  }

  /** A loss is in store for the next command. */
  losesNext(): boolean {
    return this.nextLoss !== null;
  }

  call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    const name = command.toUpperCase();
    return this.enqueue(name, args, null, NONE, args);
  }

  /** EVALSHA, and EVAL when Redis has forgotten the script: the real adapter's own code (a restart empties the cache). */
  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    return runCachedScript((command, ...wire) => this.enqueue(command, wire, script.name, keys, args), script, keys, args);
  }

  /**
   * Redis went away and came back (a restart): what was in flight on the old connection is lost, the client
   * reconnects, and, as ioredis does, subscribes again to everything it listened to.
   */
  connectionLost(reconnectMs: number): void {
    this.generation++;
    this.nextLoss = null;
    this.offlineSince = this.context.steps.now;
    this.offlineUntil = this.context.steps.now + reconnectMs;
    const restored: Array<Promise<void>> = [];
    for (const [target, { kind, listener }] of this.subscriptions) {
      this.subscriptions.delete(target);
      this.listeners.delete(target);
      restored.push(this.subscribeVia(kind, target, listener, reconnectMs, true));
    }
    // ioredis says it is ready again once its subscriptions are restored: what was published meanwhile is lost.
    if (restored.length > 0) void Promise.all(restored).then(() => this.resubscribed.forEach((listener) => listener()));
  }

  psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    return this.subscribeVia("PSUBSCRIBE", pattern, listener);
  }

  subscribe(channel: string, listener: MessageListener): Promise<void> {
    return this.subscribeVia("SUBSCRIBE", channel, listener);
  }

  onResubscribed(listener: () => void): void {
    this.resubscribed.push(listener);
  }

  /**
   * The connection carrying the subscriptions drops: Redis forgets them, and what is published meanwhile reaches
   * nobody. The client reconnects `gapMs` later and subscribes again on its own, as ioredis does, then says so.
   */
  loseSubscriptions(gapMs: number): void {
    this.redis.disconnect(this.client);
    this.context.steps.add(
      { lane: this.lane, source: `resubscribe:${this.client}`, owner: this.owner, kind: "redis", readyAt: this.context.steps.now + gapMs },
      () => {
        for (const [target, { kind }] of this.subscriptions) {
          if (kind === "PSUBSCRIBE") this.redis.psubscribe(this.client, target);
          else this.redis.subscribe(this.client, target);
        }
        for (const listener of this.resubscribed) listener();
        return this.event("SUBSCRIBE", null, NONE, [...this.subscriptions.keys()], "ok", null, null);
      },
    );
  }

  /** A message PUBLISH addressed to this client: a step of its own, in order with the client's other pushes. */
  deliver(delivery: Delivery): void {
    const listener = this.listeners.get(delivery.pattern ?? delivery.channel);
    if (!listener) return;
    const generation = this.generation;
    this.context.steps.add(
      {
        lane: this.lane,
        source: this.pushSource,
        owner: this.owner,
        kind: "deliver",
        readyAt: this.context.steps.now + hopLatency(this.context, this.context.faults.messageDelay),
      },
      () => {
        // A message pushed on a connection that broke since never arrives.
        if (generation === this.generation) listener(delivery.channel, delivery.message);
        return { kind: "deliver", subscriber: this.client, channel: delivery.channel, message: delivery.message };
      },
    );
  }

  /**
   * A SUBSCRIBE the instance asked for may fail (faults.subscribeFail); one the client sends again on its own after
   * a reconnect (`restoring`) is retried by the client until it holds, so it does not.
   */
  private subscribeVia(command: "PSUBSCRIBE" | "SUBSCRIBE", target: string, listener: MessageListener, delayMs = 0, restoring = false): Promise<void> {
    const { faults, rng } = this.context;
    return new Promise((resolve, reject) => {
      this.context.steps.add(
        {
          lane: this.lane,
          source: this.source,
          owner: this.owner,
          kind: "redis",
          readyAt: this.context.steps.now + hopLatency(this.context, 0) + delayMs,
        },
        () => {
          if (!restoring && rng.chance(faults.subscribeFail ?? 0)) {
            reject(new Error(CONNECTION_LOST));
            return this.event(command, null, NONE, [target], "lost-before", null, null);
          }
          if (command === "PSUBSCRIBE") this.redis.psubscribe(this.client, target);
          else this.redis.subscribe(this.client, target);
          this.listeners.set(target, listener);
          this.subscriptions.set(target, { kind: command, listener });
          resolve();
          return this.event(command, null, NONE, [target], "ok", null, null);
        },
      );
    });
  }

  private event(
    command: string,
    script: string | null,
    keys: readonly string[],
    args: readonly RedisArg[],
    outcome: RedisOutcome,
    reply: RedisReply,
    error: string | null,
  ): RedisEvent {
    const footprint = outcome === "lost-before" || command.endsWith("SUBSCRIBE") ? null : this.redis.lastFootprint();
    return {
      kind: "redis",
      client: this.client,
      command,
      script,
      keys,
      args,
      outcome,
      reply,
      error,
      reads: footprint?.reads() ?? NONE,
      writes: footprint?.writes() ?? NONE,
      readsAll: footprint?.readsAll ?? false,
    };
  }

  /** `command` with `wire` as its arguments; the event names the script and keeps `args` (its ARGV) apart. */
  private enqueue(command: string, wire: readonly RedisArg[], script: string | null, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    const { faults, rng } = this.context;
    const slow = rng.chance(faults.redisSlow) ? rng.int(100, 2_000) : 0;
    const generation = this.generation;
    const gaveUpAt = offlineQueueGivesUp(this.offlineSince, this.offlineUntil, this.context.steps.now);
    return new Promise((resolve, reject) => {
      this.context.steps.add(
        {
          lane: this.lane,
          source: this.source,
          owner: this.owner,
          kind: "redis",
          readyAt: gaveUpAt ?? Math.max(this.context.steps.now + hopLatency(this.context, 0) + slow, this.offlineUntil),
        },
        () => {
          if (gaveUpAt !== null) {
            reject(new Error(MAX_RETRIES_ERROR));
            return this.event(command, script, keys, args, "lost-before", null, MAX_RETRIES_ERROR);
          }
          const chosen = this.nextLoss ?? this.lossyLoss();
          this.nextLoss = null;
          if (rng.chance(faults.redisFailBefore) || chosen === "lost-before" || generation !== this.generation) {
            reject(new Error(CONNECTION_LOST));
            return this.event(command, script, keys, args, "lost-before", null, null);
          }
          let reply: RedisReply;
          try {
            reply = this.redis.execute(command, wire);
          } catch (error) {
            // An error reply is a reply too: a connection lost after the command ran loses it the same way.
            if (chosen === "lost-after") {
              reject(new Error(CONNECTION_LOST));
              return this.event(command, script, keys, args, "lost-after", null, (error as Error).message);
            }
            reject(error as Error);
            return this.event(command, script, keys, args, "error", null, (error as Error).message);
          } finally {
            this.onExecuted();
          }
          if (rng.chance(faults.redisFailAfter) || chosen === "lost-after") {
            reject(new Error(CONNECTION_LOST));
            return this.event(command, script, keys, args, "lost-after", reply, null);
          }
          resolve(reply);
          return this.event(command, script, keys, args, "ok", reply, null);
        },
      );
    });
  }
}
