import { Redis } from "ioredis";
import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../ports/index.ts";
import { runCachedScript } from "./cached-script.ts";
import { MAX_RETRIES_PER_REQUEST, reconnectDelay } from "./redis-retry.ts";

/** A host that does not answer is unreachable after this long, not after the client's default of 10 s. */
const CONNECT_TIMEOUT_MS = 2_000;

export interface ConnectionEvents {
  /** A connection attempt or an established connection failed; the client retries with back-off. */
  error?(error: Error): void;
  /** A connection is (re-)established and ready for commands. */
  ready?(): void;
}

/**
 * RedisPort on ioredis. Commands share one connection; subscriptions get their own, created on first use,
 * because a subscribed connection can run no other command. Both reconnect on their own, and the
 * subscriptions are restored on reconnection.
 */
export class IoRedisPort implements RedisPort {
  private subscriber: Redis | null = null;
  private readonly patternListeners = new Map<string, MessageListener[]>();
  private readonly channelListeners = new Map<string, MessageListener[]>();
  /** The last connection failure, for whoever must say why Redis is unreachable. */
  lastError: (Error & { code?: string }) | null = null;
  private readonly resubscribed: Array<() => void> = [];

  constructor(
    private readonly client: Redis,
    private readonly events: ConnectionEvents = {},
  ) {
    this.watch(client);
  }

  static connect(url: string, events?: ConnectionEvents): IoRedisPort {
    const client = new Redis(url, {
      maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: reconnectDelay,
    });
    return new IoRedisPort(client, events);
  }

  async call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    // ioredis reshapes some replies (HGETALL into an object) when the name is lower-case; upper-case keeps Redis's.
    return (await this.client.call(command.toUpperCase(), ...args)) as RedisReply;
  }

  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    return runCachedScript((command, ...rest) => this.call(command, ...rest), script, keys, args);
  }

  async psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    addListener(this.patternListeners, pattern, listener);
    await this.subscriberConnection().psubscribe(pattern);
  }

  /** Subscribing again to a channel (to find out whether the subscription is back) adds no second delivery. */
  async subscribe(channel: string, listener: MessageListener): Promise<void> {
    addListener(this.channelListeners, channel, listener);
    await this.subscriberConnection().subscribe(channel);
  }

  onResubscribed(listener: () => void): void {
    this.resubscribed.push(listener);
  }

  /** Closes both connections, letting replies already asked for arrive first. */
  async quit(): Promise<void> {
    await Promise.all([this.client.quit(), this.subscriber?.quit()]);
  }

  /** Drops both connections at once, whatever is in flight: for a shutdown that cannot wait for Redis. */
  disconnect(): void {
    this.client.disconnect();
    this.subscriber?.disconnect();
  }

  private watch(connection: Redis): void {
    connection.on("error", (error: Error) => {
      this.lastError = error;
      this.events.error?.(error);
    });
    connection.on("ready", () => {
      if (connection === this.client) this.lastError = null;
      this.events.ready?.();
    });
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    // No ready check on the subscriber: on a reconnection ioredis would send INFO on a connection already back in
    // subscriber mode, Redis refuses it, and the subscriptions just restored are dropped for another back-off round
    // (redis/ioredis#2037).
    const subscriber = this.client.duplicate({ enableReadyCheck: false });
    this.watch(subscriber);
    // ioredis re-subscribes on its own once a lost connection is back, then says it is ready: every ready after
    // the first follows a loss, and whatever was published meanwhile never arrived.
    let readies = 0;
    subscriber.on("ready", () => {
      if (readies++ > 0) for (const listener of this.resubscribed) listener();
    });
    subscriber.on("pmessage", (pattern: string, channel: string, message: string) => {
      for (const listener of this.patternListeners.get(pattern) ?? []) listener(channel, message);
    });
    subscriber.on("message", (channel: string, message: string) => {
      for (const listener of this.channelListeners.get(channel) ?? []) listener(channel, message);
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}

function addListener(registry: Map<string, MessageListener[]>, name: string, listener: MessageListener): void {
  const listeners = registry.get(name) ?? [];
  if (!listeners.includes(listener)) registry.set(name, [...listeners, listener]);
}
