import { arityMatches, changesKeyspace, COMMANDS } from "./commands/index.ts";
import type { CommandContext, CommandSpec } from "./commands/command.ts";
import {
  RedisCommandError,
  type Delivery,
  type EngineOptions,
  type KeyspaceSnapshot,
  type KeyValue,
  type RedisArg,
  type RedisReply,
  type SimulatedRedis,
} from "./contract.ts";
import { attachRouter, DeliveryRouter } from "./delivery-router.ts";
import { redisProcess, type RedisProcess } from "./commands/server.ts";
import { Footprint } from "./footprint.ts";
import { describe, Keyspace } from "./keyspace.ts";
import { Scripting } from "./lua/scripting.ts";
import { PubSub } from "./pubsub.ts";
import { toClientReply, type EngineReply } from "./reply.ts";
import { wrongArity } from "./errors.ts";

/** Redis's unknown-command text: the name as typed and the first arguments, each quoted and followed by a space. */
function unknownCommand(command: string, args: readonly string[]): RedisCommandError {
  const preview = args
    .slice(0, 16)
    .map((arg) => `'${arg.slice(0, 128)}' `)
    .join("");
  return new RedisCommandError(`ERR unknown command '${command.slice(0, 128)}', with args beginning with: ${preview}`);
}

class Engine implements SimulatedRedis {
  private readonly keyspace: Keyspace;
  private readonly pubsub = new PubSub();
  private readonly context: CommandContext;
  private readonly tracking: boolean;
  private footprint: Footprint | null = null;
  private restarts = 0;
  private readonly runIdSeed: string | undefined;
  private process: RedisProcess;
  private readonly scripting: Scripting;

  constructor(
    options: EngineOptions,
    private readonly publishTo: (deliveries: readonly Delivery[]) => void,
  ) {
    this.tracking = options.footprints === true;
    this.keyspace = new Keyspace(options.now);
    this.runIdSeed = options.runIdSeed;
    this.process = redisProcess(this.restarts, options.now(), this.runIdSeed);
    this.scripting = new Scripting({ call: (name, args) => this.fromScript(name, args), random: options.random }, options.lua);
    this.context = {
      keys: this.keyspace,
      now: options.now,
      random: options.random,
      process: () => this.process,
      scripting: this.scripting,
      publish: (channel, message) => this.publish(channel, message),
    };
  }

  execute(command: string, args: readonly RedisArg[]): RedisReply {
    this.footprint = null;
    const strings = args.map((arg) => (typeof arg === "string" ? arg : String(arg)));
    const spec = commandSpec(command);
    if (spec === undefined) throw unknownCommand(command, strings);
    if (!arityMatches(spec, strings.length)) wrongArity(command.toLowerCase());
    const writing = changesKeyspace(spec);
    if (writing) this.keyspace.changing();
    if (!this.tracking) return toClientReply(spec.run(this.context, strings));
    const footprint = new Footprint();
    footprint.writing = writing;
    this.footprint = footprint;
    this.keyspace.footprint = footprint;
    try {
      return toClientReply(spec.run(this.context, strings));
    } finally {
      this.keyspace.footprint = null;
    }
  }

  lastFootprint(): Footprint | null {
    return this.footprint;
  }

  subscribe(subscriber: string, channel: string): void {
    this.pubsub.subscribe(subscriber, channel);
  }

  psubscribe(subscriber: string, pattern: string): void {
    this.pubsub.psubscribe(subscriber, pattern);
  }

  disconnect(subscriber: string): void {
    this.pubsub.disconnect(subscriber);
  }

  inspect(key: string): KeyValue | null {
    const entry = this.keyspace.lookup(key);
    return entry === undefined ? null : describe(entry);
  }

  field(key: string, field: string): string | null {
    const entry = this.keyspace.lookup(key);
    return entry?.type === "hash" ? ((entry.value as Map<string, string>).get(field) ?? null) : null;
  }

  keys(): string[] {
    return this.keyspace.sortedKeys();
  }

  version(): number {
    return this.keyspace.version();
  }

  snapshot(): KeyspaceSnapshot {
    return this.keyspace.save();
  }

  restart(): void {
    this.process = redisProcess(++this.restarts, this.context.now(), this.runIdSeed);
    this.scripting.flush();
  }

  /** A command issued by redis.call / redis.pcall, with the errors Redis reports to scripts. */
  private fromScript(command: string, args: string[]): EngineReply {
    const spec = commandSpec(command);
    if (spec === undefined) throw new RedisCommandError("ERR Unknown Redis command called from script");
    if (!arityMatches(spec, args.length)) {
      throw new RedisCommandError("ERR Wrong number of args calling Redis command from script");
    }
    if (spec.noScript) throw new RedisCommandError("ERR This Redis command is not allowed from script");
    const writing = changesKeyspace(spec);
    if (writing) this.keyspace.changing();
    if (this.keyspace.footprint !== null) this.keyspace.footprint.writing = writing;
    return spec.run(this.context, args);
  }

  private publish(channel: string, message: string): number {
    const deliveries = this.pubsub.deliveries(channel, message);
    if (deliveries.length > 0) this.publishTo(deliveries);
    return deliveries.length;
  }
}

const specByName = new Map<string, CommandSpec | undefined>();

/** A command's spec by any spelling of its name: clients and scripts name commands in upper case on every call. */
function commandSpec(name: string): CommandSpec | undefined {
  if (specByName.has(name)) return specByName.get(name);
  const spec = COMMANDS.get(name.toLowerCase());
  // Names are whatever scripts pass: only a bounded number of spellings is remembered.
  if (specByName.size < 10_000) specByName.set(name, spec);
  return spec;
}

/**
 * A simulated Redis 7.0: synchronous, atomic, deterministic (time from options.now, randomness from
 * options.random). Deliveries go to options.onPublish and to the listeners of any DirectRedisPort on it.
 */
export function createSimulatedRedis(options: EngineOptions): SimulatedRedis {
  const router = new DeliveryRouter();
  const engine = new Engine(options, (deliveries) => {
    options.onPublish?.(deliveries);
    router.route(deliveries);
  });
  attachRouter(engine, router);
  return engine;
}
