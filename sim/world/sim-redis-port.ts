import type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import type { Delivery, SimulatedRedis } from "../redis/contract.ts";
import { hopLatency, type SimContext } from "./context.ts";

/** What the trace shows of a reply: short, one line. */
export function describeReply(reply: RedisReply): string {
  const text = JSON.stringify(reply);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

const ARGS_SHOWN = 200;

/**
 * The arguments space-separated, cut to 200 characters: built only as far as the cut, as payloads can be long.
 * `more` continues `args` (keys, then arguments) without joining the two lists first.
 */
function describeArgs(args: readonly RedisArg[], more: readonly RedisArg[] = []): string {
  let text = "";
  const count = args.length + more.length;
  for (let i = 0; i < count && text.length <= ARGS_SHOWN; i++) {
    const arg = i < args.length ? args[i] : more[i - args.length];
    text += i === 0 ? String(arg) : ` ${String(arg)}`;
  }
  return text.length > ARGS_SHOWN ? `${text.slice(0, ARGS_SHOWN - 3)}...` : text;
}

export const CONNECTION_LOST = "Connection is closed.";

/**
 * One client connection to the simulated Redis. Each command is a step on this connection's FIFO source, so
 * commands from one connection execute in the order they were sent, as over TCP, while other connections'
 * commands may run in between.
 */
export class SimRedisPort implements RedisPort {
  private readonly listeners = new Map<string, MessageListener>();

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
    return this.enqueue(name, args, `${name} ${describeArgs(args)}`);
  }

  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    const label = `EVAL ${script.name} ${describeArgs(keys, args)}`;
    return this.enqueue("EVAL", [script.source, keys.length, ...keys, ...args], label);
  }

  psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    return this.subscribeVia("PSUBSCRIBE", pattern, listener);
  }

  subscribe(channel: string, listener: MessageListener): Promise<void> {
    return this.subscribeVia("SUBSCRIBE", channel, listener);
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
        label: `message ${delivery.channel}`,
        readyAt: this.context.steps.now + hopLatency(this.context, this.context.faults.messageDelay),
      },
      () => {
        listener(delivery.channel, delivery.message);
        return delivery.message;
      },
    );
  }

  private subscribeVia(command: "PSUBSCRIBE" | "SUBSCRIBE", target: string, listener: MessageListener): Promise<void> {
    return new Promise((resolve) => {
      this.context.steps.add(
        {
          lane: this.lane,
          source: `redis:${this.client}`,
          owner: this.owner,
          kind: "redis",
          label: `${command} ${target}`,
          readyAt: this.context.steps.now + hopLatency(this.context, 0),
        },
        () => {
          if (command === "PSUBSCRIBE") this.redis.psubscribe(this.client, target);
          else this.redis.subscribe(this.client, target);
          this.listeners.set(target, listener);
          resolve();
          return "subscribed";
        },
      );
    });
  }

  private enqueue(command: string, args: readonly RedisArg[], label: string): Promise<RedisReply> {
    const { faults, rng } = this.context;
    const slow = rng.chance(faults.redisSlow) ? rng.int(100, 2_000) : 0;
    return new Promise((resolve, reject) => {
      this.context.steps.add(
        {
          lane: this.lane,
          source: `redis:${this.client}`,
          owner: this.owner,
          kind: "redis",
          label,
          readyAt: this.context.steps.now + hopLatency(this.context, 0) + slow,
        },
        () => {
          if (rng.chance(faults.redisFailBefore)) {
            reject(new Error(CONNECTION_LOST));
            return "lost before Redis applied it";
          }
          let reply: RedisReply;
          try {
            reply = this.redis.execute(command, args);
          } catch (error) {
            reject(error as Error);
            return `error: ${(error as Error).message}`;
          } finally {
            this.onExecuted();
          }
          if (rng.chance(faults.redisFailAfter)) {
            reject(new Error(CONNECTION_LOST));
            return `applied, reply lost (${describeReply(reply)})`;
          }
          resolve(reply);
          return describeReply(reply);
        },
      );
    });
  }
}
