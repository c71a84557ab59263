import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import type { SimulatedRedis } from "./contract.ts";
import { routerOf, type DeliveryRouter } from "./delivery-router.ts";

/**
 * One client connection to a simulated Redis without a scheduler: every call answers on the next
 * microtask, so it is still an await point, and messages arrive on later microtasks.
 */
export class DirectRedisPort implements RedisPort {
  private readonly router: DeliveryRouter;

  constructor(
    private readonly engine: SimulatedRedis,
    readonly client: string,
  ) {
    this.router = routerOf(engine);
  }

  async call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    await Promise.resolve();
    return this.engine.execute(command, args);
  }

  async runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    await Promise.resolve();
    return this.engine.execute("EVAL", [script.source, keys.length, ...keys, ...args]);
  }

  async psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    await Promise.resolve();
    this.router.listen(this.client, "pattern", pattern, listener);
    this.engine.psubscribe(this.client, pattern);
  }

  async subscribe(channel: string, listener: MessageListener): Promise<void> {
    await Promise.resolve();
    this.router.listen(this.client, "channel", channel, listener);
    this.engine.subscribe(this.client, channel);
  }

  /** The connection dropped: its subscriptions end and its listeners hear nothing more. */
  disconnect(): void {
    this.engine.disconnect(this.client);
    this.router.forget(this.client);
  }
}
