import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import type { Variant } from "../../src/server/match-server.ts";
import type { Violation } from "../oracle/invariants.ts";
import { boundsFor, Oracle } from "../oracle/oracle.ts";
import { readerFor } from "../oracle/readers/index.ts";
import type { ServerView } from "../oracle/server-view.ts";
import { Rng } from "../random/rng.ts";
import { createSimulatedRedis, RedisCommandError, type Delivery, type RedisArg, type RedisReply, type SimulatedRedis } from "../redis/index.ts";
import type { WorldOptions } from "../scenario/options.ts";
import { PendingSteps } from "../scheduler/pending-steps.ts";
import type { Step, StepDetail, StepKind } from "../scheduler/step.ts";
import { createStrategy, ReplayStrategy, type Strategy, type StrategyName } from "../scheduler/strategy.ts";
import type { TraceStep } from "../trace/trace.ts";
import { coincidentTime } from "./coincidence.ts";
import { EPOCH, type SimContext } from "./context.ts";
import { corrupt } from "./foreign-writer.ts";
import { SimConnection } from "./sim-connection.ts";
import { SimDedicatedServer } from "./sim-dedicated-server.ts";
import { SimInstance } from "./sim-instance.ts";
import type { Player, PlayerHost } from "../players/player.ts";
import { buildRoster } from "../players/roster.ts";
import { SimRedisPort } from "./sim-redis-port.ts";
import { SimTimers } from "./sim-time.ts";
import { NO_FAULTS } from "./faults.ts";
import { afterMicrotasks } from "./quiescence.ts";

export { EPOCH };

const MAX_PAUSE_MS = 20_000;

export interface RunRequest {
  scenario: string;
  variant: Variant;
  seed: number;
  strategy: StrategyName;
  options: WorldOptions;
  /** A decision list to follow instead of the strategy (replay, shrinking); `strategy` is still recorded. */
  decisions?: readonly number[];
  /**
   * Called for every command a client of the simulated Redis executes (instances, dedicated servers, the
   * foreign writer), with its reply or error text: the conformance suite replays these against a real Redis.
   */
  onCommand?: (command: string, args: readonly RedisArg[], outcome: { reply: RedisReply } | { error: string }) => void;
  /**
   * Straight through: the oldest step first, no invariant checks, no trace. The same server work without the
   * harness around it: the benchmark's baseline for the harness's overhead.
   */
  bare?: boolean;
  /** When given, time spent per part of a step is added to it (the benchmark's breakdown). */
  profile?: StepProfile;
  /** Called after every step, with read access to the simulated Redis (reports record its history). */
  observe?: (step: number, redis: SimulatedRedis, touched: boolean) => void;
  /** How the simulated Redis runs scripts (default compiled); a run is the same either way. */
  lua?: "compiled" | "interpreted";
}

/** Milliseconds spent choosing steps, in server code, in the simulated Redis, and in invariant checks. */
export interface StepProfile {
  scheduler: number;
  server: number;
  redis: number;
  checks: number;
  steps: number;
}

export function emptyProfile(): StepProfile {
  return { scheduler: 0, server: 0, redis: 0, checks: 0, steps: 0 };
}

export interface RunResult {
  verdict: "pass" | "fail" | "incomplete";
  violations: Violation[];
  steps: TraceStep[];
  decisions: number[];
  /** Virtual time the run covered, ms. */
  virtualMs: number;
  /** Why an incomplete run stopped. */
  note: string | null;
}

/**
 * One simulated run: N instances of the real server, M dedicated servers and P players over one simulated
 * Redis, every action a step, the order chosen by a strategy, judged by the oracle after every step.
 */
export class World {
  private readonly steps = new PendingSteps(EPOCH);
  private readonly context: SimContext;
  private readonly config: MatchConfig;
  private readonly redis: SimulatedRedis;
  /** What clients execute on: the engine itself, or a recorder in front of it. */
  private readonly clientRedis: SimulatedRedis;
  private readonly strategy: Strategy;
  private readonly instances = new Map<string, SimInstance>();
  private readonly incarnations = new Map<string, number>();
  private readonly servers = new Map<string, SimDedicatedServer>();
  private readonly subscribers = new Map<string, SimRedisPort>();
  readonly players: Player[] = [];
  private readonly oracle: Oracle;
  private readonly readView: (redis: SimulatedRedis, config: MatchConfig) => ServerView;
  /** Not a literal: see TraceEntry. */
  private readonly trace: TraceStep[] = new Array<TraceStep>();
  private readonly decisions: number[] = [];
  private stepIndex = 0;
  private readonly newlyMatched: Player[] = [];
  private connectionSequence = 0;
  private actionSequence = 0;
  private viewDirty = true;
  private view: ServerView | null = null;
  /** The keyspace version the view was read at. */
  private viewVersion = -1;
  private readonly rng: Rng;
  /** Its own stream, so that seeking coincidences leaves every other draw of the world as it was. */
  private readonly timingRng: Rng;
  private readonly faultRates: boolean;

  constructor(private readonly request: RunRequest) {
    const { options, variant, seed } = request;
    this.config = { ...DEFAULT_CONFIG, ...options.config };
    this.rng = new Rng(`world:${request.scenario}:${seed}`);
    this.timingRng = new Rng(`timing:${request.scenario}:${seed}`);
    const redisRng = this.rng.fork("redis");
    this.context = { steps: this.steps, rng: this.rng.fork("network"), faults: { ...options.faults } };
    this.faultRates = Object.values(options.faults).some((rate) => rate > 0);
    this.redis = createSimulatedRedis({
      now: () => this.steps.now,
      random: () => redisRng.float(),
      onPublish: (deliveries) => this.route(deliveries),
      lua: request.lua,
    });
    const recorded = request.onCommand ? recording(this.redis, request.onCommand) : this.redis;
    this.clientRedis = request.profile ? timed(recorded, request.profile) : recorded;
    this.readView = readerFor(variant);
    const strategyRng = new Rng(`strategy:${seed}`);
    this.strategy =
      request.bare === true
        ? new ReplayStrategy([])
        : request.decisions !== undefined
        ? new ReplayStrategy(request.decisions)
        : request.strategy === "replay"
          ? new ReplayStrategy([])
          : createStrategy(request.strategy, strategyRng, { depth: options.pctDepth, horizon: options.pctHorizon });
    this.buildServers();
    this.buildPlayers();
    this.oracle = new Oracle(this.players, this.config, boundsFor(this.config, options.events.pauses > 0 ? MAX_PAUSE_MS : 0), {
      gamesOn: (address) => this.servers.get(address)?.games ?? [],
    });
    for (let i = 1; i <= options.instances; i++) this.startInstance(`i${i}`);
    this.planFaults();
  }

  private route(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) this.subscribers.get(delivery.subscriber)?.deliver(delivery);
  }

  private redisTouched = false;

  private commandExecuted = (): void => {
    this.viewDirty = true;
    this.redisTouched = true;
  };

  private buildServers(): void {
    const serverRng = this.rng.fork("servers");
    for (let i = 1; i <= this.request.options.servers; i++) {
      const id = `ds${i}`;
      const address = `ds${i}.sim:${7000 + i}`;
      const port = new SimRedisPort(this.context, this.clientRedis, id, null, `ds:${id}`, this.commandExecuted);
      const timers = new SimTimers(this.steps, id, `ds:${id}`);
      const server = new SimDedicatedServer(id, address, this.request.variant, () => this.steps.now - EPOCH, serverRng, port, timers);
      this.servers.set(address, server);
      // A server that could not register after its retries is a server that never came up: legal world state.
      server.register().catch(() => {});
    }
  }

  private buildPlayers(): void {
    const { options } = this.request;
    const playerRng = this.rng.fork("players");
    const host: PlayerHost = {
      now: () => this.steps.now - EPOCH,
      connect: (player) => this.connect(player),
      act: (player, delayMs, label, action) => this.act(player, delayMs, label, action),
      matched: (player) => this.newlyMatched.push(player),
    };
    for (const { player, joinAfterMs } of buildRoster(options, this.config, playerRng, host)) {
      this.players.push(player);
      this.act(player, joinAfterMs, "join", () => player.start());
    }
  }

  private act(player: Player, delayMs: number, label: string, action: () => void): void {
    const lane = `player:${player.id}`;
    this.steps.add(
      {
        lane,
        // Each action is its own source: a player's actions are due at their own times, not in the order planned.
        source: `client:${player.id}:${this.actionSequence++}`,
        owner: null,
        kind: "client",
        label,
        readyAt: coincidentTime(this.steps.now, this.steps.now + this.onGrid(delayMs), this.request.options.coincidence ?? 0, this.timingRng, (from, to) =>
          this.steps.anchorsBetween(from, to, lane),
        ),
      },
      action,
    );
  }

  private onGrid(delayMs: number): number {
    const grid = this.request.options.timeGridMs;
    return grid > 1 ? Math.round(delayMs / grid) * grid : delayMs;
  }

  private connect(player: Player): SimConnection | null {
    const live = [...this.instances.values()].filter((instance) => instance.alive);
    if (live.length === 0) return null;
    const instance = this.rng.pick(live);
    const connection = new SimConnection(
      this.context,
      `c${++this.connectionSequence}`,
      instance.id,
      player,
      `player:${player.id}`,
      `instance:${instance.slot}`,
      (_, text) => this.frameDelivered(player, text),
    );
    instance.connections.add(connection);
    connection.attach(instance.server.connect(connection.serverSocket));
    return connection;
  }

  private frameDelivered(player: Player, text: string): void {
    const match = /"type"\s*:\s*"loading_complete"[^}]*"loading_session_id"\s*:\s*"([^"]+)"/.exec(text);
    if (match?.[1]) player.readyDelivered(match[1]);
  }

  private startInstance(slot: string): void {
    const incarnation = (this.incarnations.get(slot) ?? 0) + 1;
    this.incarnations.set(slot, incarnation);
    const id = incarnation === 1 ? slot : `${slot}.${incarnation}`;
    const maxSkew = this.request.options.events.maxSkewMs;
    const skew = maxSkew > 0 ? this.rng.int(-maxSkew, maxSkew) : 0;
    const instance = new SimInstance(
      slot,
      id,
      skew,
      this.request.variant,
      this.config,
      this.context,
      this.clientRedis,
      this.servers,
      this.rng.fork(id),
      {
        escaped: (dead, handler, error) => {
          this.oracle.escaped(this.stepIndex, this.steps.now - EPOCH, dead.id, handler, error);
          this.crash(dead, `${handler} threw`);
        },
        commandExecuted: this.commandExecuted,
      },
    );
    this.instances.set(slot, instance);
    this.subscribers.set(id, instance.redis);
    instance.server.start().catch((error: unknown) => {
      if (!instance.alive) return;
      this.oracle.escaped(this.stepIndex, this.steps.now - EPOCH, instance.id, "start", error);
      this.crash(instance, "start-up failed");
    });
  }

  /** The instance dies: its pending steps and timers vanish, its sockets reset, a supervisor restarts it. */
  private crash(instance: SimInstance, why: string): void {
    if (!instance.alive) return;
    instance.alive = false;
    this.steps.cancelOwner(instance.id);
    this.redis.disconnect(instance.id);
    this.subscribers.delete(instance.id);
    for (const connection of instance.connections) connection.instanceDied();
    this.fault(this.rng.int(1_000, 5_000), `restart ${instance.slot} (after: ${why})`, () => {
      if (this.instances.get(instance.slot) === instance) this.startInstance(instance.slot);
    });
  }

  private fault(delayMs: number, label: string, effect: () => string | void): void {
    this.steps.add(
      {
        lane: "world",
        source: `fault:${label}`,
        owner: null,
        kind: "fault",
        label,
        readyAt: this.steps.now + delayMs,
      },
      effect,
    );
  }

  private planFaults(): void {
    const { events, activeMs } = this.request.options;
    const faultRng = this.rng.fork("faults");
    const when = () => faultRng.int(Math.floor(activeMs * 0.1), Math.floor(activeMs * 0.9));
    const slots = [...this.instances.keys()];
    for (let i = 0; i < events.crashes; i++) {
      const slot = faultRng.pick(slots);
      this.fault(when(), `crash ${slot}`, () => {
        const instance = this.instances.get(slot);
        if (!instance?.alive) return "already down";
        this.crash(instance, "crash fault");
        return `${instance.id} crashed`;
      });
    }
    for (let i = 0; i < events.pauses; i++) {
      const slot = faultRng.pick(slots);
      const duration = faultRng.int(5_000, MAX_PAUSE_MS);
      this.fault(when(), `pause ${slot} ${duration} ms`, () => {
        const instance = this.instances.get(slot);
        if (!instance?.alive) return "down";
        this.steps.pause(instance.id, this.steps.now + duration);
        return `${instance.id} paused until ${this.steps.now + duration - EPOCH}`;
      });
    }
    for (let i = 0; i < events.disconnects && this.players.length > 0; i++) {
      const player = faultRng.pick(this.players);
      this.fault(when(), `network drop ${player.id}`, () => player.dropNetwork());
    }
    for (let i = 0; i < events.corruptions; i++) {
      this.fault(when(), "foreign write", () => {
        this.commandExecuted();
        return corrupt(this.clientRedis, this.request.variant, this.config, faultRng);
      });
    }
  }

  /**
   * The server's state as the oracle reads it, read again after a command ran unless the keyspace's version
   * says nothing changed: about half the commands of a run only read.
   */
  private currentView(): ServerView {
    if (this.viewDirty || !this.view) {
      const version = this.redis.version();
      if (version !== this.viewVersion || !this.view) this.view = this.readView(this.redis, this.config);
      this.viewVersion = version;
      this.viewDirty = false;
    }
    return this.view;
  }

  /** Starts a chosen step: its synchronous part runs now, the promise chains it resumes before it is finished. */
  private startStep(step: Step): StepDetail | void {
    this.steps.take(step);
    this.steps.advanceTo(step);
    this.decisions.push(step.id);
    return step.run();
  }

  /** Records a step once the code it resumed has quiesced, and checks the invariants on the world it left. */
  private finishStep(step: Step, detail: StepDetail | void): void {
    if (this.request.bare) {
      this.newlyMatched.length = 0;
    } else {
      const at = this.steps.now - EPOCH;
      this.trace.push(new TraceEntry(this.stepIndex, step.id, at, step.lane, step.kind, step.label, detail ?? ""));
      for (const player of this.newlyMatched) this.oracle.matchReceived(this.stepIndex, at, player);
      this.newlyMatched.length = 0;
      this.oracle.afterStep(this.stepIndex, at, this.currentView());
      this.request.observe?.(this.stepIndex, this.redis, this.redisTouched);
    }
    this.redisTouched = false;
    this.stepIndex++;
  }

  /**
   * The next step to run, or whether the phase ended (true) or ran out of step budget (false). Moves virtual
   * time when nothing is enabled now.
   */
  private nextStep(until: number, done: () => boolean, accept: (step: Step) => boolean, over: () => boolean): Step | boolean {
    const { maxSteps, raceWindowMs } = this.request.options;
    for (;;) {
      if (this.stepIndex >= maxSteps) return false;
      if (this.oracle.violations.length > 0) return true;
      const ready = this.steps.enabled(raceWindowMs);
      const enabled = accept === acceptAll ? ready : ready.filter(accept);
      if (enabled.length === 0) {
        if (over()) return true;
        const next = this.steps.nextReadyTime(accept);
        if (next === null || next > until) {
          this.steps.now = Math.max(this.steps.now, Math.min(until, next ?? until));
          return true;
        }
        this.steps.now = next;
        if (done()) return true;
        continue;
      }
      return this.strategy.choose(enabled, this.stepIndex);
    }
  }

  /**
   * Runs until `until` (virtual, absolute), or until `over()` holds when nothing is left to run at this instant,
   * or until `done()` holds once time moved to the next pending step; false when the step budget ran out.
   * One step at a time: the next is chosen only once the code the last one resumed has quiesced. Driven by
   * callbacks rather than an await per step, which would cost two promises a step.
   */
  private runUntil(
    until: number,
    done: () => boolean,
    accept: (step: Step) => boolean = acceptAll,
    over: () => boolean = never,
  ): Promise<boolean> {
    const profile = this.request.profile;
    return new Promise((resolve, reject) => {
      let running: Step | null = null;
      let detail: StepDetail | void;
      let started = 0;
      let redisBefore = 0;
      const proceed = (): void => {
        try {
          if (running !== null) {
            const ran = profile ? performance.now() : 0;
            this.finishStep(running, detail);
            running = null;
            if (profile) {
              profile.server += ran - started - (profile.redis - redisBefore);
              profile.checks += performance.now() - ran;
              profile.steps++;
            }
          }
          const choosing = profile ? performance.now() : 0;
          const chosen = this.nextStep(until, done, accept, over);
          if (typeof chosen === "boolean") {
            resolve(chosen);
            return;
          }
          if (profile) {
            started = performance.now();
            profile.scheduler += started - choosing;
            redisBefore = profile.redis;
          }
          running = chosen;
          detail = this.startStep(chosen);
          afterMicrotasks(proceed);
        } catch (error) {
          reject(error);
        }
      };
      proceed();
    });
  }

  /**
   * Nothing is left for the server to do: no client waits on an answer, and either every server is taken
   * (players may cycle through loading and "no server" forever; the end checks judge what is in flight as in
   * flight) or no session is live, nobody is loading and no mode has enough willing players for a match.
   */
  private quiet(): boolean {
    if (this.players.some((player) => player.connected && player.view.state === "awaiting")) return false;
    const view = this.currentView();
    if (!view.servers.some((server) => server.status === "idle")) return true;
    if (view.sessions.size > 0) return false;
    if (this.players.some((player) => player.connected && player.view.state === "loading")) return false;
    return this.config.gameModes.every(
      (mode) =>
        this.players.filter((player) => player.mode === mode.name && player.willing && player.view.state !== "matched").length <
        mode.requiredPlayers,
    );
  }

  /**
   * Nothing is left that only the active phase brings: every fault event struck, no instance is paused, no
   * fault rate would strike what remains, and every player's program has run its course (no action planned,
   * and the world is quiet: nobody waits on an answer, loads, or could still be matched). Ending the phase here
   * ends nothing but idle time: the settle phase that follows runs its full minimum, long enough for every
   * timeout and sweep.
   */
  private activeOver(): boolean {
    return (
      !this.faultRates &&
      this.steps.pending("client") === 0 &&
      this.steps.pending("fault") === 0 &&
      !this.steps.anyPaused() &&
      this.quiet()
    );
  }

  /**
   * How long the settle phase must give a crashed or paused instance's leftovers: its presence lapses after
   * instanceTtlMs, and the survivors' presence job, every presenceIntervalMs, reaps it; two rounds of that job
   * leave room for the order in which instances run it. Zero when no instance is lost.
   */
  private reapingMs(): number {
    const { events } = this.request.options;
    if (events.crashes === 0 && events.pauses === 0) return 0;
    return this.config.instanceTtlMs + 2 * this.config.presenceIntervalMs;
  }

  async run(): Promise<RunResult> {
    const { options } = this.request;
    const finish = (verdict: RunResult["verdict"], note: string | null): RunResult => ({
      verdict,
      violations: this.oracle.violations,
      steps: this.trace,
      decisions: this.decisions,
      virtualMs: this.steps.now - EPOCH,
      note,
    });

    const activeEnd = EPOCH + options.activeMs;
    if (!(await this.runUntil(activeEnd, never, acceptAll, () => this.activeOver()))) {
      return finish("incomplete", "step budget ran out in the active phase");
    }
    const settleFrom = Math.min(this.steps.now, activeEnd);
    const settleMin = settleFrom + Math.max(options.settleMs, this.reapingMs());
    const settleMax = settleFrom + options.maxSettleMs;
    Object.assign(this.context.faults, NO_FAULTS);
    if (!(await this.runUntil(settleMin, never))) return finish("incomplete", "step budget ran out while settling");
    if (!(await this.runUntil(settleMax, () => this.quiet()))) return finish("incomplete", "step budget ran out while settling");
    if (this.oracle.violations.length > 0) return finish("fail", null);

    for (const instance of this.instances.values()) if (instance.alive) await instance.server.stop();
    const drained = await this.runUntil(this.steps.now + 60_000, never, inFlight);
    if (!drained) return finish("incomplete", "step budget ran out while draining");
    this.oracle.atEnd(Math.max(0, this.stepIndex - 1), this.steps.now - EPOCH, this.currentView());
    return finish(this.oracle.violations.length > 0 ? "fail" : "pass", null);
  }
}

/**
 * A trace step made by a constructor, not an object literal: V8 may decide after a few long runs (swarm) that
 * a literal's objects live long and allocate them in old space from then on, where they hold their labels and
 * details through every young-generation GC. It does not do that for constructed objects or new Array.
 */
class TraceEntry implements TraceStep {
  constructor(
    readonly i: number,
    readonly id: number,
    readonly t: number,
    readonly lane: string,
    readonly kind: StepKind,
    readonly label: string,
    readonly detail: string,
  ) {}
}

/** The engine with its `execute` wrapped; everything else goes straight through. */
function aroundExecute(redis: SimulatedRedis, execute: SimulatedRedis["execute"]): SimulatedRedis {
  return {
    execute,
    subscribe: (subscriber, channel) => redis.subscribe(subscriber, channel),
    psubscribe: (subscriber, pattern) => redis.psubscribe(subscriber, pattern),
    disconnect: (subscriber) => redis.disconnect(subscriber),
    inspect: (key) => redis.inspect(key),
    field: (key, field) => redis.field(key, field),
    version: () => redis.version(),
    keys: () => redis.keys(),
  };
}

/** The engine with every executed command reported, replies and error replies alike. */
function recording(redis: SimulatedRedis, onCommand: NonNullable<RunRequest["onCommand"]>): SimulatedRedis {
  return aroundExecute(redis, (command, args) => {
    try {
      const reply = redis.execute(command, args);
      onCommand(command, args, { reply });
      return reply;
    } catch (error) {
      if (error instanceof RedisCommandError) onCommand(command, args, { error: error.message });
      throw error;
    }
  });
}

const acceptAll = (): boolean => true;
const never = (): boolean => false;

/** What the drain lets finish once the servers stopped: deliveries already on their way, not new actions. */
const inFlight = (step: Step): boolean =>
  step.kind === "redis" ||
  step.kind === "deliver" ||
  step.kind === "frame-in" ||
  step.kind === "frame-out" ||
  step.kind === "close" ||
  step.kind === "http-request" ||
  step.kind === "http-reply" ||
  (step.kind === "timer" && step.label.startsWith("http timeout"));

/** The engine with the time spent executing commands added to a profile. */
function timed(redis: SimulatedRedis, profile: StepProfile): SimulatedRedis {
  return aroundExecute(redis, (command, args) => {
    const started = performance.now();
    try {
      return redis.execute(command, args);
    } finally {
      profile.redis += performance.now() - started;
    }
  });
}
