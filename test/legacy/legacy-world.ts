import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import { createLegacyServer, registerLegacyDedicatedServer } from "../../src/legacy/index.ts";
import type { Clock, ClientSocket, ConnectionEvents, Ports } from "../../src/ports/index.ts";
import { encodeClientFrame, parseServerMessage, type ClientFrame, type ServerMessage } from "../../src/protocol/index.ts";
import type { MatchServer } from "../../src/server/match-server.ts";
import {
  CapturingSupervisor,
  CountingMetrics,
  RecordingLogger,
  ScriptedHttp,
  SeededRandom,
} from "../support/fake-ports.ts";
import { ManualTime, settle } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";

/** A client socket that keeps what the server sent it. */
export class RecordingSocket implements ClientSocket {
  readonly sent: string[] = [];
  pings = 0;
  closed = false;
  send(text: string): void {
    this.sent.push(text);
  }
  ping(): void {
    this.pings += 1;
  }
  close(): void {
    this.closed = true;
  }
  messages(): ServerMessage[] {
    return this.sent.map((text) => {
      const parsed = parseServerMessage(text);
      if (!parsed.ok) throw new Error(`server sent an unparseable message: ${text}`);
      return parsed.value;
    });
  }
  last(): ServerMessage | undefined {
    return this.messages().at(-1);
  }
}

/** One simulated player connection: its socket and the events the server returned for it. */
export interface Client {
  socket: RecordingSocket;
  events: ConnectionEvents;
  send(frame: ClientFrame): void;
}

export const PLAYER_A = "0a0a0a0a-0000-4000-8000-00000000000a";
export const PLAYER_B = "0b0b0b0b-0000-4000-8000-00000000000b";
export const PLAYER_C = "0c0c0c0c-0000-4000-8000-00000000000c";
export const PLAYER_D = "0d0d0d0d-0000-4000-8000-00000000000d";
export const MODE = "Normal_1v1";
export const QUEUE = `queue:${MODE}`;

export interface Instance {
  server: MatchServer;
  ports: Ports;
  connect(): Client;
}

/** Legacy instances sharing one simulated Redis, one clock, one HTTP script, one supervisor. */
export class LegacyWorld {
  readonly time = new ManualTime();
  readonly redis = createTestRedis(this.time);
  readonly http = new ScriptedHttp();
  readonly supervisor = new CapturingSupervisor();
  readonly logger = new RecordingLogger();
  readonly metrics = new CountingMetrics();

  constructor(readonly config: MatchConfig = DEFAULT_CONFIG) {}

  /** An instance; `clockOffsetMs` skews its wall clock against the others'. */
  async instance(name: string, clockOffsetMs = 0): Promise<Instance> {
    const clock: Clock = { now: () => this.time.now() + clockOffsetMs };
    const ports: Ports = {
      instanceId: name,
      clock,
      timers: this.time,
      random: new SeededRandom(name),
      redis: this.redis.port(name),
      http: this.http,
      logger: this.logger,
      metrics: this.metrics,
      supervisor: this.supervisor,
    };
    const server = createLegacyServer(this.config, ports);
    await server.start();
    return {
      server,
      ports,
      connect: () => {
        const socket = new RecordingSocket();
        const events = server.connect(socket);
        return { socket, events, send: (frame) => events.onText(encodeClientFrame(frame)) };
      },
    };
  }

  /** Moves time in one-second steps, answering every heartbeat ping of `alive` clients with a pong. */
  async advance(ms: number, ...alive: Client[]): Promise<void> {
    for (let done = 0; done < ms; done += 1000) {
      await this.time.advance(Math.min(1000, ms - done));
      for (const client of alive) client.events.onPong();
      await this.flush();
    }
  }

  /** Runs every spawned handler and every delivery to completion. */
  async flush(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      await this.supervisor.idle();
      await settle();
    }
  }

  exec(command: string, ...args: Array<string | number>) {
    return this.redis.engine.execute(command, args);
  }

  queue(key = QUEUE): string[] {
    const value = this.redis.engine.inspect(key);
    return value?.type === "set" ? [...value.value].sort() : [];
  }

  hash(key: string): Record<string, string> | null {
    const value = this.redis.engine.inspect(key);
    return value?.type === "hash" ? value.value : null;
  }

  async registerServer(id: string, address: string): Promise<void> {
    await registerLegacyDedicatedServer(this.redis.port("dedicated"), id, address);
  }

  escapedHandlers(): string[] {
    return this.supervisor.escaped.map((escape) => escape.handler);
  }
}

export function enqueue(client: Client, player: string, mode = MODE): void {
  client.send({ type: "enqueue", player_id: player, game_mode: mode });
}

export function sessionIdOf(client: Client): string {
  const message = client.socket.messages().find((m) => m.type === "start_loading");
  if (message?.type !== "start_loading") throw new Error("client never got start_loading");
  return message.loading_session_id;
}

/** Two connected players matched by one tick of `instance`'s timers; returns their loading session id. */
export async function matchTwo(world: LegacyWorld, a: Client, b: Client): Promise<string> {
  enqueue(a, PLAYER_A);
  enqueue(b, PLAYER_B);
  await world.flush();
  await world.time.advance(world.config.matchTickMs);
  await world.flush();
  return sessionIdOf(a);
}

export function createSessionReply(sessionId: string, address: string) {
  return {
    status: 200,
    body: JSON.stringify({ server_address: `ws://${address}/game?session_id=${sessionId}`, session_id: sessionId }),
  };
}
