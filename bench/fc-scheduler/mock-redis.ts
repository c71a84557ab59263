import { EventEmitter } from "node:events";
import "./seeded-math-random.ts";
import RedisMock from "ioredis-mock";
import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import type { KeyspaceSource } from "../../sim/oracle/server-view.ts";
import type { KeyValue } from "../../sim/redis/contract.ts";
import type { FifoGate } from "./fifo-gate.ts";

const HOST = "fc-scheduler-bench";
const PORT = 6379;

/** What the benchmark reads of ioredis-mock's internals: its key store and expiry table (no command runs). */
interface MockInternals {
  data: { keys(): string[]; get(key: string): unknown };
  expires: { has(key: string): boolean; get(key: string): number };
  context: { channels: EventEmitter; patternChannels: EventEmitter; modifiedKeyEvents: EventEmitter };
}

type MockMethod = (...args: unknown[]) => Promise<unknown>;

type MockConnection = InstanceType<typeof RedisMock>;

/** ioredis-mock instances created with the same host, port and db share one keyspace and its pub/sub. */
let nextDb = 1;

// ioredis-mock hangs one listener per connection on an emitter shared by all of them: a run's handful of
// connections is no leak, whatever Node's default limit of 10 suspects.
EventEmitter.defaultMaxListeners = Math.max(EventEmitter.defaultMaxListeners, 100);

/**
 * One run's Redis: a db of its own on the mock, so runs never see each other's keys, with any number of
 * client connections to it.
 */
export class MockRedisServer {
  private readonly db = nextDb++;
  private readonly connections: MockConnection[] = [];

  connect(): MockConnection {
    const connection = new RedisMock({ host: HOST, port: PORT, db: this.db });
    this.connections.push(connection);
    return connection;
  }

  /** A read-only view for the oracle, straight from the mock's store so reading never takes a step. */
  keyspace(): KeyspaceSource {
    const reader = this.connections[0] ?? this.connect();
    const { data, expires } = reader as unknown as MockInternals;
    return {
      keys: () => data.keys().sort(),
      inspect: (key) => keyValueOf(data.get(key)),
      execute: (command, args) => {
        const key = String(args[0]);
        if (command.toUpperCase() !== "PTTL") throw new Error(`the oracle's view of ioredis-mock only answers PTTL, not ${command}`);
        if (data.get(key) === undefined) return -2;
        // Date.now reads the run's virtual clock while it runs (virtual-date-now.ts).
        return expires.has(key) ? Math.ceil(expires.get(key) - Date.now()) : -1;
      },
    };
  }

  async close(): Promise<void> {
    await this.connections[0]?.flushdb();
    for (const connection of this.connections) {
      connection.disconnect();
      // ioredis-mock keeps every db's context for good, and disconnecting leaves the connection's listeners on
      // it: each run's connections stayed reachable, 1.3 MB a run, 3 GB over the benchmark's hunts.
      const { context } = connection as unknown as MockInternals;
      for (const emitter of [context.channels, context.patternChannels, context.modifiedKeyEvents]) emitter.removeAllListeners();
    }
  }
}

function keyValueOf(value: unknown): KeyValue | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return { type: "string", value };
  if (value instanceof Set) return { type: "set", value: [...value].map(String) };
  if (Array.isArray(value)) return { type: "list", value: value.map(String) };
  if (typeof value === "object") {
    const hash: Record<string, string> = {};
    for (const [field, text] of Object.entries(value)) hash[field] = String(text);
    return { type: "hash", value: hash };
  }
  return { type: "string", value: String(value) };
}

/** A reply in the shape ioredis's `call` gives it: HGETALL's object flattened, undefined as nil. */
function replyOf(value: unknown): RedisReply {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(replyOf);
  if (typeof value === "object") return Object.entries(value).flatMap(([field, text]) => [field, replyOf(text)]);
  return String(value);
}

/**
 * ioredis-mock turns a Lua table into a reply only when the VM happens to iterate its keys from the last
 * down (a table built with `{...}`, or filled from the top index down); a table filled upwards, as
 * loading-complete.lua fills its reply with table.insert, comes back as a raw fengari proxy. Real Redis
 * takes both. The script runs unchanged inside a function; only a table it returns is copied top-down.
 */
function wrapForMock(source: string): string {
  return [
    "local __reply = (function()",
    source,
    "end)()",
    "if type(__reply) == 'table' then",
    "  local copy = {}",
    "  for i = #__reply, 1, -1 do copy[i] = __reply[i] end",
    "  return copy",
    "end",
    "return __reply",
  ].join("\n");
}

const wrapped = new Map<string, string>();

function commandOf(connection: MockConnection, command: string): MockMethod {
  const method = (connection as unknown as Record<string, unknown>)[command.toLowerCase()];
  if (typeof method !== "function") throw new Error(`ERR unknown command '${command}' (ioredis-mock has no such method)`);
  return (method as MockMethod).bind(connection);
}

/**
 * The server's RedisPort on ioredis-mock, which has no `call`: each command maps to the mock's lower-case
 * method and each script to its `eval`. Every command, subscription and pushed message is a job of the
 * fast-check scheduler (see FifoGate): one job applies the command and hands back its reply.
 */
export class ScheduledMockRedis implements RedisPort {
  private readonly commands: MockConnection;
  private subscriber: MockConnection | null = null;
  /** Milliseconds spent inside the mock's eval (its Lua VM), for the benchmark's breakdown. */
  static luaMs = 0;

  constructor(
    private readonly server: MockRedisServer,
    private readonly gate: FifoGate,
    private readonly name: string,
  ) {
    this.commands = server.connect();
  }

  call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    const label = `${command.toUpperCase()} ${args.slice(0, 2).join(" ")}`;
    return this.gate.run(`redis:${this.name}`, label, async () => replyOf(await commandOf(this.commands, command)(...args)));
  }

  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    let source = wrapped.get(script.source);
    if (source === undefined) {
      source = wrapForMock(script.source);
      wrapped.set(script.source, source);
    }
    const lua = source;
    return this.gate.run(`redis:${this.name}`, `EVAL ${script.name} ${keys.join(" ")}`, async () => {
      const started = performance.now();
      try {
        return replyOf(await this.commands.eval(lua, keys.length, ...keys, ...args));
      } finally {
        ScheduledMockRedis.luaMs += performance.now() - started;
      }
    });
  }

  psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    const subscriber = this.subscriberConnection();
    subscriber.on("pmessage", (matched: string, channel: string, message: string) => {
      if (matched === pattern) this.push(channel, message, listener);
    });
    return this.gate.run(`redis:${this.name}:subscriber`, `PSUBSCRIBE ${pattern}`, async () => {
      await subscriber.psubscribe(pattern);
    });
  }

  subscribe(channel: string, listener: MessageListener): Promise<void> {
    const subscriber = this.subscriberConnection();
    subscriber.on("message", (from: string, message: string) => {
      if (from === channel) this.push(from, message, listener);
    });
    return this.gate.run(`redis:${this.name}:subscriber`, `SUBSCRIBE ${channel}`, async () => {
      await subscriber.subscribe(channel);
    });
  }

  /** A published message reaches this client as a job of its own, in publish order with its other pushes. */
  private push(channel: string, message: string, listener: MessageListener): void {
    void this.gate.run(`push:${this.name}`, `message ${channel}`, () => listener(channel, message));
  }

  private subscriberConnection(): MockConnection {
    this.subscriber ??= this.server.connect();
    return this.subscriber;
  }
}
