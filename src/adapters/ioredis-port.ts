import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../ports/index.ts";

/**
 * A failed command rejects instead of waiting for a reconnect forever: a handler stuck on a dead Redis
 * would hold its player hostage, while an error lets it answer and move on.
 */
const MAX_RETRIES_PER_REQUEST = 2;

/**
 * RedisPort on ioredis. Commands share one connection; subscriptions get their own, created on first use,
 * because a subscribed connection can run no other command.
 */
export class IoRedisPort implements RedisPort {
  private subscriber: Redis | null = null;
  private readonly shas = new Map<string, string>();
  private readonly patternListeners = new Map<string, MessageListener[]>();
  private readonly channelListeners = new Map<string, MessageListener[]>();
  private readonly resubscribed: Array<() => void> = [];

  constructor(
    private readonly client: Redis,
    private readonly onConnectionError: (error: Error) => void = () => {},
  ) {
    client.on("error", onConnectionError);
  }

  static connect(url: string, onConnectionError?: (error: Error) => void): IoRedisPort {
    return new IoRedisPort(new Redis(url, { maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST }), onConnectionError);
  }

  async call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    // ioredis reshapes some replies (HGETALL into an object) when the name is lower-case; upper-case keeps Redis's.
    return (await this.client.call(command.toUpperCase(), ...args)) as RedisReply;
  }

  async runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    const sha = this.shaOf(script);
    try {
      return await this.call("EVALSHA", sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted or flushed Redis has forgotten the script: EVAL loads it again for the next EVALSHA.
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return this.call("EVAL", script.source, keys.length, ...keys, ...args);
    }
  }

  async psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    addListener(this.patternListeners, pattern, listener);
    await this.subscriberConnection().psubscribe(pattern);
  }

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

  private shaOf(script: LuaScript): string {
    let sha = this.shas.get(script.source);
    if (sha === undefined) {
      sha = createHash("sha1").update(script.source).digest("hex");
      this.shas.set(script.source, sha);
    }
    return sha;
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.client.duplicate();
    subscriber.on("error", this.onConnectionError);
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
  registry.set(name, [...(registry.get(name) ?? []), listener]);
}
