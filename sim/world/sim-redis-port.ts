import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import type { Delivery, SimulatedRedis } from "../redis/contract.ts";
import type { RedisEvent, RedisOutcome } from "../trace/events.ts";
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
  /** Channel or pattern -> the command that subscribed it, for restoring it after a loss. */
  private readonly subscribed = new Map<string, "PSUBSCRIBE" | "SUBSCRIBE">();
  private readonly resubscribed: Array<() => void> = [];

  constructor(
    private readonly context: SimContext,
    private readonly redis: SimulatedRedis,
    /** Client name, also the pub/sub subscriber name. */
    readonly client: string,
    private readonly owner: string | null,
    private readonly lane: string,
    private readonly onExecuted: () => void,
  ) {}

  call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    const name = command.toUpperCase();
    return this.enqueue(name, args, null, NONE, args);
  }

  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    return this.enqueue("EVAL", [script.source, keys.length, ...keys, ...args], script.name, keys, args);
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
        for (const [target, command] of this.subscribed) {
          if (command === "PSUBSCRIBE") this.redis.psubscribe(this.client, target);
          else this.redis.subscribe(this.client, target);
        }
        for (const listener of this.resubscribed) listener();
        return this.event("SUBSCRIBE", null, NONE, [...this.subscribed.keys()], "ok", null, null);
      },
    );
  }

  /** A message PUBLISH addressed to this client: a step of its own, in order with the client's other pushes. */
  deliver(delivery: Delivery): void {
    const listener = this.listeners.get(delivery.pattern ?? delivery.channel);
    if (!listener) return;
    this.context.steps.add(
      {
        lane: this.lane,
        source: `push:${this.client}`,
        owner: this.owner,
        kind: "deliver",
        readyAt: this.context.steps.now + hopLatency(this.context, this.context.faults.messageDelay),
      },
      () => {
        listener(delivery.channel, delivery.message);
        return { kind: "deliver", subscriber: this.client, channel: delivery.channel, message: delivery.message };
      },
    );
  }

  private subscribeVia(command: "PSUBSCRIBE" | "SUBSCRIBE", target: string, listener: MessageListener): Promise<void> {
    const { faults, rng } = this.context;
    return new Promise((resolve, reject) => {
      this.context.steps.add(
        {
          lane: this.lane,
          source: `redis:${this.client}`,
          owner: this.owner,
          kind: "redis",
          readyAt: this.context.steps.now + hopLatency(this.context, 0),
        },
        () => {
          if (rng.chance(faults.subscribeFail ?? 0)) {
            reject(new Error(CONNECTION_LOST));
            return this.event(command, null, NONE, [target], "lost-before", null, null);
          }
          if (command === "PSUBSCRIBE") this.redis.psubscribe(this.client, target);
          else this.redis.subscribe(this.client, target);
          this.listeners.set(target, listener);
          this.subscribed.set(target, command);
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
    return new Promise((resolve, reject) => {
      this.context.steps.add(
        {
          lane: this.lane,
          source: `redis:${this.client}`,
          owner: this.owner,
          kind: "redis",
          readyAt: this.context.steps.now + hopLatency(this.context, 0) + slow,
        },
        () => {
          if (rng.chance(faults.redisFailBefore)) {
            reject(new Error(CONNECTION_LOST));
            return this.event(command, script, keys, args, "lost-before", null, null);
          }
          let reply: RedisReply;
          try {
            reply = this.redis.execute(command, wire);
          } catch (error) {
            reject(error as Error);
            return this.event(command, script, keys, args, "error", null, (error as Error).message);
          } finally {
            this.onExecuted();
          }
          if (rng.chance(faults.redisFailAfter)) {
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
