/** A reply as ioredis returns it from `call`: bulk strings, integers, nil, and nested arrays. */
export type RedisReply = string | number | null | RedisReply[];

export type RedisArg = string | number;

/** A Lua script shipped with the server. Adapters compute its SHA1 and use EVALSHA with EVAL fallback. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
}

export type MessageListener = (channel: string, message: string) => void;

/**
 * The subset of Redis the server uses. Every call is one round trip: an await point that the simulation
 * turns into a schedulable step. Failures reject with an Error whose message is Redis's error text.
 */
export interface RedisPort {
  call(command: string, ...args: RedisArg[]): Promise<RedisReply>;
  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply>;
  /** Subscribes to a channel pattern (`PSUBSCRIBE`); resolves once the subscription is active. */
  psubscribe(pattern: string, listener: MessageListener): Promise<void>;
  /** Subscribes to one channel (`SUBSCRIBE`); resolves once the subscription is active. */
  subscribe(channel: string, listener: MessageListener): Promise<void>;
  /**
   * Calls `listener` whenever the subscriptions were lost with their connection and the client restored them on
   * reconnecting: every message published in between was lost. Absent where the client cannot tell.
   */
  onResubscribed?(listener: () => void): void;
}
