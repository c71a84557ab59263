import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import { createFixedServer, Keys, registerFixedDedicatedServer } from "../../src/fixed/index.ts";
import type { FixedServer } from "../../src/fixed/server.ts";
import type {
  ClientSocket,
  ConnectionEvents,
  LuaScript,
  MessageListener,
  Ports,
  RedisArg,
  RedisPort,
  RedisReply,
} from "../../src/ports/index.ts";
import { encodeClientFrame, parseServerMessage, type ClientFrame, type ServerMessage } from "../../src/protocol/index.ts";
import {
  CapturingSupervisor,
  CountingMetrics,
  RecordingLogger,
  ScriptedHttp,
  SeededRandom,
} from "../support/fake-ports.ts";
import { ManualTime, settle } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";

export const PLAYER_A = "0a0a0a0a-0000-4000-8000-00000000000a";
export const PLAYER_B = "0b0b0b0b-0000-4000-8000-00000000000b";
export const PLAYER_C = "0c0c0c0c-0000-4000-8000-00000000000c";
export const PLAYER_D = "0d0d0d0d-0000-4000-8000-00000000000d";
export const MODE = "Normal_1v1";
export const SERVER_ADDRESS = "10.0.0.1:7000";
export const GAME_SESSION = "9e9e9e9e-0000-4000-8000-000000000009";

export const REGISTRATION_TTL_MS = 3_600_000;

export const TEST_CONFIG: MatchConfig = {
  ...DEFAULT_CONFIG,
  matchTickMs: 1_000,
  loadingTimeoutMs: 10_000,
  allocationTimeoutMs: 5_000,
  allocationRequestTimeoutMs: 2_000,
  instanceTtlMs: 6_000,
  presenceIntervalMs: 2_000,
  heartbeatIntervalMs: 5_000,
  clientTimeoutMs: 10_000,
};

/** A client socket that keeps what the server sent it. */
export class RecordingSocket implements ClientSocket {
  readonly sent: string[] = [];
  closed = false;
  closedWith: { code: number | undefined; reason: string | undefined } | null = null;
  send(text: string): void {
    if (this.closed) throw new Error("send on a closed socket");
    this.sent.push(text);
  }
  ping(): void {}
  close(code?: number, reason?: string): void {
    this.closed = true;
    this.closedWith ??= { code, reason };
  }
  messages(): ServerMessage[] {
    return this.sent.map((text) => {
      const parsed = parseServerMessage(text);
      if (!parsed.ok) throw new Error(`server sent an unparseable message: ${text}`);
      return parsed.value;
    });
  }
  errors(): string[] {
    return this.messages().flatMap((m) => (m.type === "error" ? [m.message] : []));
  }
  types(): string[] {
    return this.messages().map((m) => m.type);
  }
}

export interface Client {
  socket: RecordingSocket;
  events: ConnectionEvents;
  send(frame: ClientFrame): void;
  enqueue(player: string, mode?: string): void;
  ready(session: string): void;
  /** The client goes away (the transport reports the close). */
  disconnect(): void;
}

type Failure = { match: (script: string) => boolean; when: "before" | "after"; times: number };
type Hold = { script: string; released: Promise<void>; skip: number };

/** A RedisPort that can fail chosen scripts, before they apply or after (reply lost). */
export class FaultyRedisPort implements RedisPort {
  private readonly failures: Failure[] = [];
  private readonly holds: Hold[] = [];
  private readonly resubscribedListeners: Array<() => void> = [];
  readonly scripts: string[] = [];
  constructor(private readonly inner: RedisPort) {}

  onResubscribed(listener: () => void): void {
    this.resubscribedListeners.push(listener);
  }

  /** As the client says after its connection dropped and came back: the subscriptions were restored. */
  resubscribed(): void {
    for (const listener of this.resubscribedListeners) listener();
  }

  fail(script: string, when: "before" | "after", times = 1): void {
    this.failures.push({ match: (name) => name === `fixed:${script}`, when, times });
  }

  /**
   * A call of `script` (the next, or the one after `skip` more) waits, as on a Redis that does not answer, until
   * the returned function is called.
   */
  hold(script: string, skip = 0): () => void {
    let release!: () => void;
    this.holds.push({ script: `fixed:${script}`, released: new Promise<void>((resolve) => (release = resolve)), skip });
    return release;
  }

  call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    return this.inner.call(command, ...args);
  }

  async runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    this.scripts.push(script.name);
    const hold = this.holds.findIndex((each) => each.script === script.name);
    const held = this.holds[hold];
    if (held !== undefined && held.skip > 0) held.skip--;
    else if (held !== undefined) {
      this.holds.splice(hold, 1);
      await held.released;
    }
    const failure = this.failures.find((f) => f.times > 0 && f.match(script.name));
    if (failure) failure.times--;
    if (failure?.when === "before") throw new Error(`injected failure before ${script.name}`);
    const reply = await this.inner.runScript(script, keys, args);
    if (failure?.when === "after") throw new Error(`injected failure after ${script.name}`);
    return reply;
  }

  psubscribe(pattern: string, listener: MessageListener): Promise<void> {
    return this.inner.psubscribe(pattern, listener);
  }

  subscribe(channel: string, listener: MessageListener): Promise<void> {
    return this.inner.subscribe(channel, listener);
  }
}

export interface Instance {
  id: string;
  server: FixedServer;
  redis: FaultyRedisPort;
  logger: RecordingLogger;
  metrics: CountingMetrics;
  connect(): Client;
}

/** Fixed instances sharing one simulated Redis (whose TIME is the test clock), one HTTP script, one supervisor. */
export class FixedWorld {
  readonly time = new ManualTime();
  readonly redis = createTestRedis(this.time);
  readonly http = new ScriptedHttp();
  readonly supervisor = new CapturingSupervisor();

  constructor(readonly config: MatchConfig = TEST_CONFIG) {}

  async instance(id: string, start = true): Promise<Instance> {
    const redis = new FaultyRedisPort(this.redis.port(id));
    const logger = new RecordingLogger();
    const metrics = new CountingMetrics();
    const ports: Ports = {
      instanceId: id,
      clock: this.time,
      timers: this.time,
      random: new SeededRandom(id),
      redis,
      http: this.http,
      logger,
      metrics,
      supervisor: this.supervisor,
    };
    const server = createFixedServer(this.config, ports) as FixedServer;
    if (start) await server.start();
    await this.flush();
    return {
      id,
      server,
      redis,
      logger,
      metrics,
      connect: () => {
        const socket = new RecordingSocket();
        const events = server.connect(socket);
        return {
          socket,
          events,
          send: (frame) => events.onText(encodeClientFrame(frame)),
          enqueue: (player, mode = MODE) => events.onText(encodeClientFrame({ type: "enqueue", player_id: player, game_mode: mode })),
          ready: (session) => events.onText(encodeClientFrame({ type: "loading_complete", loading_session_id: session })),
          disconnect: () => {
            socket.closed = true;
            events.onClose();
          },
        };
      },
    };
  }

  /** Runs every spawned handler and every delivery to completion. */
  async flush(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      await this.supervisor.idle();
      await settle();
    }
  }

  /** Moves time in steps no longer than `stepMs`, letting every handler finish in between. */
  async advance(ms: number, stepMs = 500): Promise<void> {
    for (let done = 0; done < ms; done += stepMs) {
      await this.time.advance(Math.min(stepMs, ms - done));
      await this.flush();
    }
  }

  /** One matchmaking tick (and sweep) of every instance. */
  async tick(): Promise<void> {
    await this.advance(this.config.matchTickMs);
  }

  exec(command: string, ...args: Array<string | number>) {
    return this.redis.engine.execute(command, args);
  }

  hash(key: string): Record<string, string> | null {
    const value = this.redis.engine.inspect(key);
    return value?.type === "hash" ? value.value : null;
  }

  player(id: string): Record<string, string> | null {
    return this.hash(Keys.player(id));
  }

  session(id: string): Record<string, string> | null {
    return this.hash(Keys.session(id));
  }

  zset(key: string): string[] {
    const value = this.redis.engine.inspect(key);
    return value?.type === "zset" ? value.value.map(([member]) => member) : [];
  }

  queue(mode = MODE): string[] {
    return this.zset(Keys.queue(mode));
  }

  /** A registration that outlives any test that does not let it lapse on purpose: nothing renews it here. */
  async registerServer(id = "ds1", address = SERVER_ADDRESS, ttlMs = REGISTRATION_TTL_MS): Promise<void> {
    await registerFixedDedicatedServer(this.redis.port("dedicated"), id, address, ttlMs);
  }

  escaped(): unknown[] {
    return this.supervisor.escaped.map((escape) => escape.error);
  }
}

export function sessionIdOf(client: Client): string {
  const message = [...client.socket.messages()].reverse().find((m) => m.type === "start_loading");
  if (message?.type !== "start_loading") throw new Error("client never got start_loading");
  return message.loading_session_id;
}

export function createdReply(sessionId = GAME_SESSION, address = SERVER_ADDRESS) {
  return {
    status: 200,
    body: JSON.stringify({ server_address: `ws://${address}/game?session_id=${sessionId}`, session_id: sessionId }),
  };
}

/** Two players enqueued on `instance` and matched by one tick; returns their clients and the session id. */
export async function matchedPair(world: FixedWorld, instance: Instance, other: Instance = instance) {
  const a = instance.connect();
  const b = other.connect();
  a.enqueue(PLAYER_A);
  b.enqueue(PLAYER_B);
  await world.flush();
  await world.tick();
  return { a, b, session: sessionIdOf(a) };
}
