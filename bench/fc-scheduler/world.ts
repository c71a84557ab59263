import type { Scheduler } from "fast-check";
import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import { DedicatedServer } from "../../src/dedicated/index.ts";
import { createLegacyServer } from "../../src/legacy/index.ts";
import type {
  ClientSocket,
  ConnectionEvents,
  HttpPort,
  HttpRequestOptions,
  HttpResponse,
  Logger,
  Metrics,
  RedisArg,
} from "../../src/ports/index.ts";
import type { MatchServer } from "../../src/server/match-server.ts";
import type { InvariantName, Violation } from "../../sim/oracle/invariants.ts";
import { boundsFor, Oracle } from "../../sim/oracle/oracle.ts";
import { KITS } from "../../sim/variants/index.ts";
import type { KeyspaceSource, ServerView } from "../../sim/oracle/server-view.ts";
import { Player, type PlayerConnection, type PlayerHost } from "../../sim/players/player.ts";
import { drawRoster } from "../../sim/players/roster.ts";
import { Rng } from "../../sim/random/rng.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import { coincidentTime } from "../../sim/world/coincidence.ts";
import { FifoGate } from "./fifo-gate.ts";
import { MockRedisServer, ScheduledMockRedis } from "./mock-redis.ts";
import { EPOCH, VirtualTime, type TimerKind } from "./virtual-time.ts";

const silent: Logger = { log: () => {} };
const uncounted: Metrics = { increment: () => {}, observe: () => {} };

/** What a client action is, for a setup that times it itself. */
export interface ActRequest {
  player: Player;
  label: string;
  /** The delay the player drew, as in the harness. */
  delayMs: number;
  /** Milliseconds since the run began. */
  now: number;
  config: MatchConfig;
}

/** A setup's say over when a client action happens: returns the delay to use. */
export type ActTiming = (request: ActRequest) => number;

export interface FcRunRequest {
  options: WorldOptions;
  /** Every draw that is not an ordering (join times, instance choice, skews, ids, SPOP), from fast-check. */
  seed: number;
  /** Absent: every action happens when the player's behaviour drew it, as in the harness. */
  timing?: ActTiming;
  /**
   * The invariants the hunted defect breaks: the run stops at the first violation of one of them (or at a
   * crash, which ends an instance). Other violations are recorded and the run goes on.
   */
  breaks: readonly InvariantName[];
}

export interface FcRunResult {
  violations: Violation[];
  /** Scheduler jobs released. */
  steps: number;
  virtualMs: number;
  complete: boolean;
}

function quiesce(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

class FcInstance {
  alive = true;
  readonly server: MatchServer;

  constructor(
    readonly id: string,
    build: (instance: FcInstance) => MatchServer,
  ) {
    this.server = build(this);
  }
}

/** One WebSocket between a player and an instance; frames and closes are scheduler jobs, FIFO per direction. */
class FcConnection implements PlayerConnection {
  clientOpen = true;
  private serverOpen = true;
  private serverClosing = false;
  private dropped = false;
  private events: ConnectionEvents | null = null;
  readonly serverSocket: ClientSocket;

  constructor(
    private readonly gate: FifoGate,
    private readonly id: string,
    private readonly player: Player,
    private readonly delivered: (text: string) => void,
  ) {
    this.serverSocket = {
      send: (text) => this.serverSend(text),
      // Pongs only refresh liveness: answered without a job while the client's network is up, as in the harness.
      ping: () => {
        if (this.clientOpen && !this.dropped) queueMicrotask(() => this.serverOpen && this.events?.onPong());
      },
      close: () => this.serverClose(),
    };
  }

  attach(events: ConnectionEvents): void {
    this.events = events;
  }

  clientSend(text: string): void {
    if (!this.clientOpen) return;
    void this.gate.run(`c2s:${this.id}`, "frame", () => {
      if (!this.serverOpen || !this.events) return;
      this.delivered(text);
      this.events.onText(text);
    });
  }

  clientClose(): void {
    if (!this.clientOpen) return;
    this.clientOpen = false;
    void this.gate.run(`c2s:${this.id}`, "close", () => this.closeServerSide());
  }

  clientDrop(): void {
    this.clientOpen = false;
    this.dropped = true;
  }

  private closeServerSide(): void {
    if (!this.serverOpen) return;
    this.serverOpen = false;
    this.events?.onClose();
  }

  private serverSend(text: string): void {
    if (!this.serverOpen || this.serverClosing) return;
    void this.gate.run(`s2c:${this.id}`, "message", () => {
      if (this.clientOpen) this.player.received(this, text);
    });
  }

  private serverClose(): void {
    if (!this.serverOpen || this.serverClosing) return;
    this.serverClosing = true;
    void this.gate.run(`s2c:${this.id}`, "close", () => {
      this.closeServerSide();
      if (this.clientOpen) {
        this.clientOpen = false;
        this.player.closedByServer(this);
      }
    });
  }
}

/** HTTP to the dedicated servers: the request and the reply are each a scheduler job. */
class GatedHttp implements HttpPort {
  private sequence = 0;

  constructor(
    private readonly gate: FifoGate,
    private readonly owner: string,
    private readonly servers: ReadonlyMap<string, DedicatedServer>,
  ) {}

  async post(url: string, body: string, options: HttpRequestOptions): Promise<HttpResponse> {
    const source = `http:${this.owner}:${this.sequence++}`;
    const address = /^http:\/\/([^/]+)\//.exec(url)?.[1] ?? "";
    const server = await this.gate.run(source, `POST ${url}`, () => {
      const target = this.servers.get(address);
      if (!target) throw new Error(`connect ECONNREFUSED ${address}`);
      return target;
    });
    const reply = await server.handleCreateSession(body, options.headers ?? {});
    return this.gate.run(source, `reply ${reply.status}`, () => ({ status: reply.status, body: reply.body }));
  }
}

/**
 * One run for the fast-check side of the benchmark: the real legacy server (createLegacyServer) in N
 * instances, the real dedicated-server logic, and the harness's own players and oracle, all on one
 * ioredis-mock keyspace, with fast-check's scheduler choosing the order of every delivery. It follows the
 * harness's World in phases (active, settle, drain, end checks) and in what it checks, but has no network
 * latency and no faults other than skew and a foreign writer: time only moves when nothing is left to order.
 */
export class FcWorld {
  private readonly time = new VirtualTime();
  private readonly gate: FifoGate;
  private readonly redis = new MockRedisServer();
  private readonly keyspace: KeyspaceSource;
  private readonly config: MatchConfig;
  private readonly rng: Rng;
  /** Its own stream, as in the harness: seeking coincidences leaves every other draw as it was. */
  private readonly timingRng: Rng;
  private readonly instances: FcInstance[] = [];
  private readonly servers = new Map<string, DedicatedServer>();
  readonly players: Player[] = [];
  private readonly oracle: Oracle;
  private readonly newlyMatched: Player[] = [];
  private connections = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly request: FcRunRequest,
  ) {
    this.gate = new FifoGate(scheduler);
    this.keyspace = this.redis.keyspace();
    this.config = { ...DEFAULT_CONFIG, ...request.options.config };
    this.rng = new Rng(`fc-world:${request.seed}`);
    this.timingRng = new Rng(`fc-timing:${request.seed}`);
    this.buildServers();
    this.buildPlayers();
    this.oracle = new Oracle(this.players, this.config, boundsFor(this.config, 0));
    for (let i = 1; i <= request.options.instances; i++) this.startInstance(`i${i}`);
    this.planCorruptions();
  }

  /** Math.random's stream for the run: ioredis-mock's SPOP draws from it. */
  /** The run's virtual wall clock, for ioredis-mock's expiries. */
  clock(): () => number {
    return () => this.time.now;
  }

  mathRandom(): () => number {
    const stream = this.rng.fork("mock-redis");
    return () => stream.float();
  }

  private buildServers(): void {
    const serverRng = this.rng.fork("servers");
    for (let i = 1; i <= this.request.options.servers; i++) {
      const id = `ds${i}`;
      const address = `ds${i}.sim:${7000 + i}`;
      const server = new DedicatedServer({
        variant: "legacy",
        id,
        address,
        random: { uuid: () => serverRng.uuid(), token: () => serverRng.token() },
        redis: new ScheduledMockRedis(this.redis, this.gate, `ds:${id}`),
        logger: silent,
      });
      this.servers.set(address, server);
      void server.register();
    }
  }

  private buildPlayers(): void {
    const { options } = this.request;
    const playerRng = this.rng.fork("players");
    const host: PlayerHost = {
      now: () => this.time.now - EPOCH,
      connect: (player) => this.connect(player),
      act: (player, delayMs, label, action) => this.act(player, delayMs, label, action),
      matched: (player) => this.newlyMatched.push(player),
    };
    for (const { id, mode, behaviour, own, joinAfterMs } of drawRoster(options, this.config, playerRng)) {
      const player = new Player(id, mode, behaviour, host, own);
      this.players.push(player);
      this.act(player, joinAfterMs, "join", () => player.start());
    }
  }

  private act(player: Player, delayMs: number, label: string, action: () => void): void {
    const { timing } = this.request;
    const chosen = timing ? timing({ player, label, delayMs, now: this.time.now - EPOCH, config: this.config }) : delayMs;
    const grid = this.request.options.timeGridMs;
    const onGrid = grid > 1 ? Math.round(chosen / grid) * grid : chosen;
    const owner = `player:${player.id}`;
    const now = this.time.now;
    const due = timing
      ? now + onGrid
      : coincidentTime(now, now + onGrid, this.request.options.coincidence ?? 0, this.timingRng, (from, to) => this.time.anchorsBetween(from, to, owner));
    this.time.action(due - now, owner, action);
  }

  private connect(player: Player): PlayerConnection | null {
    const live = this.instances.filter((instance) => instance.alive);
    if (live.length === 0) return null;
    const instance = this.rng.pick(live);
    const connection = new FcConnection(this.gate, `c${++this.connections}`, player, (text) => {
      const match = /"type"\s*:\s*"loading_complete"[^}]*"loading_session_id"\s*:\s*"([^"]+)"/.exec(text);
      if (match?.[1]) player.readyDelivered(match[1]);
    });
    connection.attach(instance.server.connect(connection.serverSocket));
    return connection;
  }

  private startInstance(id: string): void {
    const maxSkew = this.request.options.events.maxSkewMs;
    const skew = maxSkew > 0 ? this.rng.int(-maxSkew, maxSkew) : 0;
    const random = this.rng.fork(id);
    const instance = new FcInstance(id, (self) =>
      createLegacyServer(this.config, {
        instanceId: id,
        clock: this.time.clock(skew),
        timers: this.time.timersFor("server"),
        random: { uuid: () => random.uuid(), token: () => random.token() },
        redis: new ScheduledMockRedis(this.redis, this.gate, id),
        http: new GatedHttp(this.gate, id, this.servers),
        logger: silent,
        metrics: uncounted,
        supervisor: {
          spawn: (handler, work) => {
            work().catch((error: unknown) => this.escaped(self, handler, error));
          },
        },
      }),
    );
    this.instances.push(instance);
    instance.server.start().catch((error: unknown) => this.escaped(instance, "start", error));
  }

  /** A handler let an error out: in a real process the instance dies, and the run has its failure. */
  private escaped(instance: FcInstance, handler: string, error: unknown): void {
    if (!instance.alive) return;
    instance.alive = false;
    this.oracle.escaped(this.gate.steps, this.time.now - EPOCH, instance.id, handler, error);
  }

  /** The harness's foreign writer, for the legacy layout: garbage where the server reads. */
  private planCorruptions(): void {
    const { events, activeMs } = this.request.options;
    const faultRng = this.rng.fork("faults");
    const writer = new ScheduledMockRedis(this.redis, this.gate, "foreign-writer");
    // The harness's own corruptions, sent through a scheduled connection of the mock instead of straight in.
    const foreign = {
      execute: (command: string, args: readonly RedisArg[]) => {
        void writer.call(command, ...args);
        return null;
      },
    };
    for (let i = 0; i < events.corruptions; i++) {
      const at = faultRng.int(Math.floor(activeMs * 0.1), Math.floor(activeMs * 0.9));
      this.time.timersFor("client").after(at, "foreign write", () => KITS.legacy.corrupt(foreign, this.config, faultRng, []));
    }
  }

  private view(): ServerView {
    return KITS.legacy.readView(this.keyspace, this.config);
  }

  private observe(): void {
    const at = this.time.now - EPOCH;
    for (const player of this.newlyMatched) this.oracle.matchReceived(this.gate.steps, at, player);
    this.newlyMatched.length = 0;
    this.oracle.afterStep(this.gate.steps, at, this.view());
  }

  /** The run has what it hunts for, or an instance died (the harness would restart it; this world does not). */
  private stopped(): boolean {
    return this.oracle.violations.some(
      (violation) => violation.invariant === "no-crash" || this.request.breaks.includes(violation.invariant),
    );
  }

  /** Lets fast-check release jobs until nothing is left at this instant; false when the step budget ran out. */
  private async drainInstant(): Promise<boolean> {
    for (;;) {
      await quiesce();
      this.observe();
      if (this.stopped()) return true;
      if (this.gate.pending() === 0) {
        await quiesce();
        if (this.gate.pending() === 0) return true;
      }
      if (this.gate.steps >= this.request.options.maxSteps) return false;
      await this.scheduler.waitNext(1);
    }
  }

  private async runUntil(until: number, done: () => boolean, kinds: readonly TimerKind[]): Promise<boolean> {
    for (;;) {
      if (!(await this.drainInstant())) return false;
      if (this.stopped()) return true;
      const next = this.time.nextDue(kinds);
      if (next === null || next > until) {
        this.time.now = Math.max(this.time.now, until);
        return true;
      }
      this.time.now = next;
      if (done()) return true;
      this.time.fireDue(next, kinds);
    }
  }

  /** Nothing is left for the server to do (the harness's own test for the end of settling). */
  private quiet(): boolean {
    const view = this.view();
    if (view.sessions.size > 0) return false;
    if (this.players.some((player) => player.connected && (player.view.state === "awaiting" || player.view.state === "loading"))) {
      return false;
    }
    if (!view.servers.some((server) => server.status === "idle")) return true;
    return this.config.gameModes.every(
      (mode) =>
        this.players.filter((player) => player.mode === mode.name && player.willing && player.view.state !== "matched").length <
        mode.requiredPlayers,
    );
  }

  async run(): Promise<FcRunResult> {
    try {
      return await this.phases();
    } finally {
      await this.redis.close();
    }
  }

  private async phases(): Promise<FcRunResult> {
    const { activeMs, settleMs, maxSettleMs } = this.request.options;
    const all: TimerKind[] = ["server", "client"];
    const result = (complete: boolean): FcRunResult => ({
      violations: this.oracle.violations,
      steps: this.gate.steps,
      virtualMs: this.time.now - EPOCH,
      complete,
    });
    const activeEnd = EPOCH + activeMs;
    if (!(await this.runUntil(activeEnd, () => false, all))) return result(false);
    if (!(await this.runUntil(activeEnd + settleMs, () => false, all))) return result(false);
    if (!(await this.runUntil(activeEnd + maxSettleMs, () => this.quiet(), all))) return result(false);
    if (this.stopped()) return result(true);
    for (const instance of this.instances) if (instance.alive) await instance.server.stop();
    if (!(await this.runUntil(this.time.now + 60_000, () => false, ["client"]))) return result(false);
    this.oracle.atEnd(this.gate.steps, this.time.now - EPOCH, this.view());
    return result(true);
  }
}
