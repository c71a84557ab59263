import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import { broken } from "../assert.ts";
import { NO_FAULTS } from "../faults/parameters.ts";
import { FAULT_KINDS, stallMs } from "../faults/registry.ts";
import { ChoiceSites } from "../faults/choices.ts";
import { boundsFor, Oracle } from "../oracle/oracle.ts";
import type { ServerView } from "../oracle/server-view.ts";
import { redisClockOffsetAt, type OperatorReport, type WorldFacts } from "../oracle/world-facts.ts";
import type { Player } from "../players/player.ts";
import { rosterStream } from "../players/roster.ts";
import { Rng } from "../random/rng.ts";
import { createSimulatedRedis, type SimulatedRedis } from "../redis/index.ts";
import { optionsProblem } from "../scenario/validate.ts";
import { PendingSteps } from "../scheduler/pending-steps.ts";
import type { RunRequest, RunResult } from "./run-request.ts";
import type { Step } from "../scheduler/step.ts";
import { LenientReplayStrategy, ReplayStrategy, strategyFor } from "../scheduler/strategies/index.ts";
import type { FaultChooser } from "../scheduler/fault-chooser.ts";
import type { Strategy } from "../scheduler/strategy.ts";
import type { StepEvent } from "../trace/events.ts";
import type { TraceStep } from "../trace/trace.ts";
import { readOnly } from "./read-only-redis.ts";
import { ProbeCounter } from "../coverage/probe-counter.ts";
import { Cluster } from "./cluster.ts";
import { registrationTtlMs, serverHeartbeatMs } from "./sim-dedicated-server.ts";
import { faultWorld } from "./fault-world.ts";
import { Moments } from "./moments.ts";
import { EPOCH, type SimContext } from "./context.ts";
import { StepDriver } from "./driver.ts";
import { recording, timed } from "./instrumented-redis.ts";
import { inFlight, PhasePolicy } from "./phases.ts";
import { KITS } from "../variants/index.ts";

export { EPOCH };
export { emptyProfile, type StepProfile } from "./driver.ts";
export type { RunRequest, RunResult } from "./run-request.ts";

/** How long the drain after the servers stop may take, in virtual ms. */
const DRAIN_MS = 60_000;
/**
 * Violations after which a run that keeps going stops all the same: a server broken that badly has shown what
 * it will show, and every further step would only add to the pile (and to the time to read it).
 */
export const MOST_VIOLATIONS = 100;
/** How long past its arming a late strike may wait for a point where it can strike (a handler mid-way). */
const LATE_STRIKE_GRACE_MS = 10_000;

/**
 * One simulated run: N instances of the real server, M dedicated servers and P players (the cluster) over one
 * simulated Redis, faults planned by every fault kind, every action a step, the order chosen by a strategy
 * (the driver), judged by the oracle after every step, through named phases.
 */
export class World {
  private readonly steps = new PendingSteps(EPOCH);
  private readonly context: SimContext;
  private readonly config: MatchConfig;
  private readonly redis: SimulatedRedis;
  private readonly cluster: Cluster;
  private readonly oracle: Oracle;
  private readonly driver: StepDriver;
  private readonly phases: PhasePolicy;
  private readonly readView: (redis: SimulatedRedis, config: MatchConfig) => ServerView;
  /** Not a literal: see TraceEntry. */
  private readonly trace: TraceStep[] = new Array<TraceStep>();
  private readonly newlyMatched: Player[] = [];
  private view: ServerView | null = null;
  /** A command ran since the view was last checked. */
  private viewDirty = true;
  /** The keyspace version the view was read at. */
  private viewVersion = -1;
  private redisTouched = false;
  private lastStep: Step | null = null;
  /** The probes the run hit; none counted in a bare run. */
  private readonly probes: ProbeCounter | null;
  /** Counted only in runs that offer faults as choices, whose strikes seek new moments. */
  private readonly moments: Moments | null;
  private readonly choices: ChoiceSites;
  private readonly operatorReports: OperatorReport[] = [];

  constructor(private readonly request: RunRequest) {
    const { options, variant, seed } = request;
    const problem = optionsProblem(options);
    if (problem !== null) broken(`the world's options are invalid: ${problem}`);
    this.config = { ...DEFAULT_CONFIG, ...options.config };
    // Probes hit while the world is built count at its first step: the driver comes after the cluster.
    const stepIndex = (): number => (this.driver === undefined ? 0 : this.driver.index);
    this.probes = request.bare === true ? null : new ProbeCounter(request.hitSteps === undefined ? undefined : { steps: request.hitSteps, stepIndex });
    const rng = new Rng(`world:${request.scenario}:${seed}`);
    const laterRng = new Rng(`later:${request.scenario}:${seed}`);
    const redisRng = rng.fork("redis");
    this.context = { steps: this.steps, rng: rng.fork("network"), faults: { ...NO_FAULTS, ...options.faults } };
    this.redis = createSimulatedRedis({
      now: () => this.steps.now + (this.cluster?.redisClockOffsetMs ?? 0),
      random: () => redisRng.float(),
      onPublish: (deliveries) => this.cluster.route(deliveries),
      lua: request.lua,
      footprints: request.bare !== true,
    });
    const recorded = request.onCommand ? recording(this.redis, request.onCommand) : this.redis;
    const clientRedis = request.profile ? timed(recorded, request.profile) : recorded;
    this.readView = KITS[variant].readView;
    const strategy = request.explorer?.strategy ?? request.chooser ?? strategyFor({ ...request, pct: { depth: options.pctDepth, horizon: options.pctHorizon } });
    this.cluster = new Cluster({
      variant,
      options,
      config: this.config,
      context: this.context,
      redis: this.redis,
      clientRedis,
      rng,
      probes: this.probes,
      roster: rosterStream(request.scenario, seed),
      laterRng,
      hooks: {
        escaped: (instance, handler, error) => {
          this.oracle.escaped(this.driver.index, this.now(), instance.id, handler, error);
          this.cluster.crash(instance, handler === "start" ? "start-up failed" : `${handler} threw`);
        },
        matched: (player) => this.newlyMatched.push(player),
        commandExecuted: this.commandExecuted,
      },
    });
    this.oracle = new Oracle(
      this.cluster.players,
      this.config,
      boundsFor(this.config, stallMs(options)),
      {
        world: this.facts(),
        reasons: KITS[variant].requeueReason,
        earlyTimeoutToleranceMs: KITS[variant].earlyTimeoutToleranceMs,
        ...(KITS[variant].operatorStats === undefined ? {} : { operatorCounts: KITS[variant].operatorStats.counted }),
      },
      { checkers: request.checkers, redis: readOnly(this.redis) },
    );
    const lateMs = this.config.loadingTimeoutMs + this.config.allocationTimeoutMs + Math.max(this.config.staleSweepMs, this.config.matchTickMs);
    const choices = new ChoiceSites(this.steps, { from: EPOCH, activeMs: options.activeMs, lateMs }, request.scenario, seed, options.faultOffers === "everywhere");
    this.choices = choices;
    const faults = faultWorld({
      variant,
      options,
      config: this.config,
      steps: this.steps,
      cluster: this.cluster,
      rng: rng.fork("faults"),
      choices,
      clientRedis,
      commandExecuted: this.commandExecuted,
      lastLane: () => this.lastStep?.lane ?? null,
      lastEvent: () => this.lastStep?.event ?? null,
    });
    for (const kind of FAULT_KINDS) kind.plan(faults);
    for (const kind of FAULT_KINDS) if (kind.offer && choices.enable(kind.name, options.choices?.[kind.name] ?? 0)) kind.offer(faults);
    this.moments = choices.spent() ? null : new Moments();
    this.driver = new StepDriver(
      this.steps,
      strategy,
      request.explorer?.faults ?? (strategy instanceof ReplayStrategy ? strategy : lenientFaults(strategy, choices.chooser(() => this.moments?.novelty() ?? 1))),
      options,
      {
        finished: (step, event, index) => this.finished(step, event, index),
        halted: () => this.oracle.violations.length >= (request.stopAtFirst === true ? 1 : MOST_VIOLATIONS),
      },
      request.profile,
    );
    this.phases = new PhasePolicy(options, this.config, this.steps, this.cluster.players, () => this.currentView(), Object.values(options.faults).some((rate) => rate > 0), () => this.cluster.freeServers(), () => this.cluster.serversReleasing());
    request.explorer?.attach({
      steps: this.steps,
      sharedStreams: new Map([
        ["world", rng],
        ["later", laterRng],
        ["redis", redisRng],
        ["network", this.context.rng],
      ]),
      view: () => this.currentView(),
      players: this.cluster.players,
      redis: readOnly(this.redis),
    });
  }

  /** Virtual time, ms since the run began. */
  private now(): number {
    return this.steps.now - EPOCH;
  }

  private commandExecuted = (): void => {
    this.viewDirty = true;
    this.redisTouched = true;
  };

  /**
   * An operator runs the stats command once the world is still: for each instance slot's last incarnation, its
   * reply as the variant's own parser reads it. Straight to the engine, outside any step: it only reads.
   */
  private readOperatorStats(): void {
    const stats = KITS[this.request.variant].operatorStats;
    if (stats === undefined || this.request.bare) return;
    // By the id the server calls itself: a restarted instance may have kept its predecessor's (cluster.ts).
    for (const instance of this.cluster.instances.values()) {
      this.operatorReports.push({ instance: instance.serverId, reported: stats.reported(this.redis, instance.serverId) });
    }
  }

  /** What the oracle may know of this world beyond Redis and the clients. */
  private facts(): WorldFacts {
    const cluster = this.cluster;
    const servers = new Map([...cluster.servers.values()].map((server) => [server.id, server.address]));
    return {
      servers,
      game: (session) => cluster.game(session),
      games: () => cluster.games,
      interruptions: () => cluster.interruptions,
      foreignWrites: () => cluster.foreignWrites,
      redisRollbacks: () => cluster.redisRollbacks,
      redisClockJumps: () => cluster.redisClockJumps,
      operatorReports: () => this.operatorReports,
      redisTime: (at) => EPOCH + at + redisClockOffsetAt(cluster.redisClockJumps, at),
      gameLengthOn: (address) => cluster.servers.get(address)?.gameLengthMs ?? undefined,
      freeServers: () => cluster.freeServers(),
      serverDownSince: (id) => cluster.serversById.get(id)?.downSince ?? null,
      serverRegistrationTtlMs: registrationTtlMs(serverHeartbeatMs(this.request.options)),
      serverIdOf: (instance) => cluster.serverIds.get(instance) ?? instance,
    };
  }

  /**
   * The server's state as the oracle reads it, read again after a command ran unless the keyspace's version
   * says nothing changed: about half the commands of a run only read.
   */
  private currentView(): ServerView {
    if (this.viewDirty || this.view === null) {
      const version = this.redis.version();
      if (version !== this.viewVersion || this.view === null) this.view = this.readView(this.redis, this.config);
      this.viewVersion = version;
      this.viewDirty = false;
    }
    return this.view;
  }

  /** Records a step once the code it resumed has quiesced, and checks the invariants on the world it left. */
  private finished(step: Step, event: StepEvent, index: number): void {
    this.lastStep = step;
    this.moments?.ran(step);
    if (this.request.bare) {
      this.newlyMatched.length = 0;
      this.redisTouched = false;
      return;
    }
    const at = this.now();
    this.trace.push(new TraceEntry(index, step.id, step.cause, at, step.lane, event));
    for (const player of this.newlyMatched) this.oracle.matchReceived(index, at, player);
    this.newlyMatched.length = 0;
    this.oracle.afterStep(index, at, this.currentView(), { id: step.id, cause: step.cause, event });
    this.request.explorer?.stepped(step);
    this.request.observe?.(index, this.redis, this.redisTouched);
    this.redisTouched = false;
  }

  /** The settle phase begins: no fault strikes by rate any more; faults by choice armed for later still may. */
  private enterSettlePhase(): void {
    Object.assign(this.context.faults, NO_FAULTS);
  }

  /**
   * Faults by choice the active phase did not meet strike now. Those armed within it come at the next points
   * where they are available, once the world went quiet early. Those armed after it strike while what it started
   * meets its deadlines and sweeps, until they have all struck or the world is quiet (a strike into a world quiet
   * that late meets nothing but routine). The world then gets a whole settle phase after the last of them. Says
   * whether any time passed, or that the step budget ran out.
   */
  private async strikeLate(activeEnd: number): Promise<"struck" | "nothing" | "budget"> {
    // A world that went quiet before the active phase's end has met only some of the strikes armed within it:
    // most worlds are busy early in the phase. The rest come now, at the next points where they are available
    // (a crash with players in their games, a lost heartbeat), rather than not at all.
    const early = this.steps.now < activeEnd && this.choices.armNow(activeEnd);
    if (early && !(await this.driver.runUntil(this.steps.now + LATE_STRIKE_GRACE_MS, () => !this.choices.pendingBy(activeEnd)))) return "budget";
    const last = this.choices.lastArming();
    const waits = last !== null && last > this.steps.now && !this.phases.quiet();
    const over = () => this.choices.spent() || this.phases.quiet();
    if (waits && !(await this.driver.runUntil(last + LATE_STRIKE_GRACE_MS, over))) return "budget";
    this.steps.withdrawOptions();
    return waits || early ? "struck" : "nothing";
  }

  async run(): Promise<RunResult> {
    const { options } = this.request;
    const finish = (verdict: RunResult["verdict"], note: string | null): RunResult => ({
      verdict,
      violations: this.oracle.violations,
      steps: this.trace,
      decisions: this.driver.decisions,
      virtualMs: this.now(),
      note,
      coverage: this.probes?.record() ?? {},
    });
    const driver = this.driver;
    const activeEnd = EPOCH + options.activeMs;
    if (!(await driver.runUntil(activeEnd, undefined, undefined, () => this.phases.activeOver()))) {
      return finish("incomplete", "step budget ran out in the active phase");
    }
    this.enterSettlePhase();
    const late = await this.strikeLate(activeEnd);
    if (late === "budget") return finish("incomplete", "step budget ran out while faults by choice struck");
    const settleFrom = late === "struck" ? this.steps.now : Math.min(this.steps.now, activeEnd);
    const settleMin = settleFrom + Math.max(options.settleMs, this.phases.reapingMs());
    if (!(await driver.runUntil(settleMin))) return finish("incomplete", "step budget ran out while settling");
    if (!(await driver.runUntil(settleFrom + options.maxSettleMs, () => this.phases.quiet()))) {
      return finish("incomplete", "step budget ran out while settling");
    }
    if (this.request.stopAtFirst === true && this.oracle.violations.length > 0) return finish("fail", null);
    if (this.oracle.violations.length >= MOST_VIOLATIONS) return finish("fail", `stopped after ${MOST_VIOLATIONS} violations`);

    for (const instance of this.cluster.instances.values()) if (instance.alive) await instance.server.stop();
    if (!(await driver.runUntil(this.steps.now + DRAIN_MS, undefined, inFlight))) return finish("incomplete", "step budget ran out while draining");
    this.readOperatorStats();
    this.oracle.atEnd(Math.max(0, driver.index - 1), this.now(), this.currentView());
    return finish(this.oracle.violations.length > 0 ? "fail" : "pass", null);
  }
}

/**
 * A trace step made by a constructor, not an object literal: V8 may decide after a few long runs (swarm) that
 * a literal's objects live long and allocate them in old space from then on, where they hold their events
 * through every young-generation GC. It does not do that for constructed objects or new Array.
 */
class TraceEntry implements TraceStep {
  constructor(
    readonly i: number,
    readonly id: number,
    readonly cause: number | null,
    readonly t: number,
    readonly lane: string,
    readonly event: StepEvent,
  ) {}
}

/** The run's own chooser, or, for a decision list followed leniently, the list's faults and then the chooser's. */
function lenientFaults(strategy: Strategy, chooser: FaultChooser): FaultChooser {
  return strategy instanceof LenientReplayStrategy ? strategy.faults(chooser) : chooser;
}
