import type { MatchConfig } from "../../src/config/config.ts";
import { parseClientFrame } from "../../src/protocol/index.ts";
import type { Variant } from "../../src/server/match-server.ts";
import type { Probes } from "../../src/ports/index.ts";
import { drawSkew } from "../faults/kinds/clock-skew.ts";
import { scheduleFault } from "../faults/schedule.ts";
import { Player, type PlayerHost } from "../players/player.ts";
import { drawRoster, type RosterEntry } from "../players/roster.ts";
import { redisClockOffsetAt, type CreatedGame, type ForeignWrite, type Interruption, type RedisClockJump, type RedisRollback } from "../oracle/world-facts.ts";
import type { Rng } from "../random/rng.ts";
import type { Delivery, SimulatedRedis } from "../redis/index.ts";
import type { WorldOptions } from "../scenario/options.ts";
import { coincidentTime } from "./coincidence.ts";
import { EPOCH, type SimContext } from "./context.ts";
import { instanceId } from "./instance-ids.ts";
import { SimConnection } from "./sim-connection.ts";
import { serverHeartbeatMs, SimDedicatedServer, type GameLedger } from "./sim-dedicated-server.ts";
import { SimInstance } from "./sim-instance.ts";
import { SimRedisPort } from "./sim-redis-port.ts";
import { SimTimers } from "./sim-time.ts";

/** Shortest and longest time a supervisor takes to restart a dead instance, in ms. */
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 5_000;
/**
 * How often a restarted instance comes back under its previous id, as a process whose id is its host's name
 * does (a StatefulSet pod), rather than under a new one: its fresh registration must then purge what the
 * previous incarnation left, and its connection ids (`<instance>/<n>`, counted from 1 again) recur.
 */
const KEEPS_ID_ON_RESTART = 0.5;

export interface ClusterHooks {
  /** A handler let an error escape: in a real process the instance dies. */
  escaped(instance: SimInstance, handler: string, error: unknown): void;
  /** A player received match_found. */
  matched(player: Player): void;
  /** A client of the simulated Redis ran a command. */
  commandExecuted(): void;
}

export interface ClusterSetup {
  variant: Variant;
  options: WorldOptions;
  config: MatchConfig;
  context: SimContext;
  /** The engine, for pub/sub routing and disconnects. */
  redis: SimulatedRedis;
  /** What clients execute on: the engine, or a recorder in front of it. */
  clientRedis: SimulatedRedis;
  /** The world's stream: servers and instances draw from it in this order. */
  rng: Rng;
  /** Where the world's probes are counted; null in a bare run. */
  probes: Probes | null;
  /** The roster's stream (see drawRoster). */
  roster: Rng;
  /** The stream of what the world added later (game lengths, ids kept on restart), apart so the rest of the world draws as it would without it. */
  laterRng: Rng;
  hooks: ClusterHooks;
}

/**
 * What a world is made of: the dedicated servers, the players, and the server instances with their
 * incarnations, and the connections between players and instances. Built in a fixed order (servers, players,
 * instances), as the draws from the world's stream depend on it.
 */
export class Cluster {
  /** The current incarnation in each slot (`i1`...). */
  readonly instances = new Map<string, SimInstance>();
  /** Every incarnation's id (`i1.2`) -> the id it calls itself in Redis (its own, or its predecessor's it kept). */
  readonly serverIds = new Map<string, string>();
  /** By address. */
  readonly servers = new Map<string, SimDedicatedServer>();
  /** The same dedicated servers by id (`ds1`): a replacement process lives in the same object. */
  readonly serversById = new Map<string, SimDedicatedServer>();
  /** Each dedicated server's Redis connection, by server id. */
  readonly serverConnections = new Map<string, SimRedisPort>();
  readonly players: Player[] = [];
  /** Every game any dedicated server created, in creation order. */
  readonly games: CreatedGame[] = [];
  /** Every crash so far (pauses are the world's to add), in the order they struck. */
  readonly interruptions: Interruption[] = [];
  /** Every foreign write so far, in order: when, and the keys it wrote. */
  readonly foreignWrites: ForeignWrite[] = [];
  /** Every rollback of Redis to an older snapshot so far, in order. */
  readonly redisRollbacks: RedisRollback[] = [];
  /** Every step of Redis's clock so far, in order: Redis reads the run's clock plus their sum. */
  readonly redisClockJumps: RedisClockJump[] = [];
  private readonly gamesById = new Map<string, CreatedGame>();
  private readonly incarnations = new Map<string, number>();
  private readonly subscribers = new Map<string, SimRedisPort>();
  /** Each player's own streams (see RosterEntry): what one player draws never shifts another's draws. */
  private readonly streams = new Map<Player, Pick<RosterEntry, "network" | "timing">>();
  private connectionSequence = 0;
  private actionSequence = 0;

  constructor(private readonly setup: ClusterSetup) {
    this.buildServers();
    this.buildPlayers();
    for (let i = 1; i <= setup.options.instances; i++) this.startInstance(`i${i}`);
  }

  /** How far Redis's clock is off the run's now: the sum of its steps so far. */
  get redisClockOffsetMs(): number {
    return redisClockOffsetAt(this.redisClockJumps, Number.POSITIVE_INFINITY);
  }

  /** Every Redis connection open now: the live instances' and the dedicated servers'. */
  redisConnections(): SimRedisPort[] {
    return [...[...this.instances.values()].filter((instance) => instance.alive).map((instance) => instance.redis), ...this.serverConnections.values()];
  }

  /** Dedicated server processes up and hosting no game that has not ended. */
  freeServers(): number {
    let free = 0;
    for (const server of this.servers.values()) if (server.free) free++;
    return free;
  }

  /** Some dedicated server's release is still under way: the world has not settled while one is. */
  serversReleasing(): boolean {
    for (const server of this.servers.values()) if (server.releasing) return true;
    return false;
  }

  /** The game a dedicated server created under this game session id. */
  game(session: string): CreatedGame | undefined {
    return this.gamesById.get(session);
  }

  /** Hands PUBLISH deliveries to the connections subscribed. */
  route(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) this.subscribers.get(delivery.subscriber)?.deliver(delivery);
  }

  private buildServers(): void {
    const { context, clientRedis, options, variant, hooks, laterRng } = this.setup;
    const serverRng = this.setup.rng.fork("servers");
    const ledger: GameLedger = {
      created: (game) => {
        this.games.push(game);
        this.gamesById.set(game.session, game);
      },
      game: (session) => this.game(session),
    };
    const lengths = options.gameMs;
    for (let i = 1; i <= options.servers; i++) {
      const id = `ds${i}`;
      const address = `ds${i}.sim:${7000 + i}`;
      const port = new SimRedisPort(context, clientRedis, id, null, `ds:${id}`, hooks.commandExecuted);
      this.serverConnections.set(id, port);
      const timers = new SimTimers(context.steps, id, `ds:${id}`);
      const length = lengths ? laterRng.int(lengths.min, lengths.max) : null;
      const now = () => context.steps.now - EPOCH;
      const server = new SimDedicatedServer(id, address, variant, now, serverRng, port, timers, this.setup.probes, length, ledger, serverHeartbeatMs(options));
      this.servers.set(address, server);
      this.serversById.set(id, server);
      // A server that could not register after its retries keeps heartbeating, and registers once Redis answers.
      server.register().catch(() => {});
    }
  }

  private buildPlayers(): void {
    const { context, options, config, hooks } = this.setup;
    const host: PlayerHost = {
      now: () => context.steps.now - EPOCH,
      connect: (player) => this.connect(player),
      act: (player, delayMs, label, action) => this.act(player, delayMs, label, action),
      matched: (player) => hooks.matched(player),
    };
    for (const entry of drawRoster(options, config, this.setup.roster)) {
      const player = new Player(entry.id, entry.mode, entry.behaviour, host, entry.own, config.gameModes.map((mode) => mode.name));
      const { joinAfterMs } = entry;
      this.players.push(player);
      this.streams.set(player, entry);
      this.act(player, joinAfterMs, "join", () => player.start());
    }
  }

  /** A player's action as a step of its own, at its drawn time or at a coincidence near it. */
  private act(player: Player, delayMs: number, action: string, run: () => void): void {
    const { context, options } = this.setup;
    const steps = context.steps;
    const lane = `player:${player.id}`;
    const timing = this.streams.get(player)?.timing ?? this.setup.rng;
    const readyAt = coincidentTime(steps.now, steps.now + this.onGrid(delayMs), options.coincidence ?? 0, timing, (from, to) =>
      steps.anchorsBetween(from, to, lane),
    );
    // Each action is its own source: a player's actions are due at their own times, not in the order planned.
    // Named by what it does too, so a shrinker can tell two actions one message set off apart across runs.
    steps.add({ lane, source: `client:${player.id}:${action}:${this.actionSequence++}`, owner: null, kind: "client", readyAt }, () => {
      run();
      return { kind: "client", player: player.id, action };
    });
  }

  private onGrid(delayMs: number): number {
    const grid = this.setup.options.timeGridMs;
    return grid > 1 ? Math.round(delayMs / grid) * grid : delayMs;
  }

  private connect(player: Player): SimConnection | null {
    const live = [...this.instances.values()].filter((instance) => instance.alive);
    if (live.length === 0) return null;
    const instance = (this.streams.get(player)?.network ?? this.setup.rng).pick(live);
    const connection = new SimConnection(
      this.setup.context,
      `c${++this.connectionSequence}`,
      instance.id,
      player.id,
      player,
      `player:${player.id}`,
      `instance:${instance.slot}`,
      (delivered, text) => this.frameDelivered(player, delivered, text),
    );
    instance.connections.add(connection);
    connection.attach(instance.server.connect(connection.serverSocket));
    return connection;
  }

  private frameDelivered(player: Player, connection: SimConnection, text: string): void {
    const frame = parseClientFrame(text);
    if (frame.ok && frame.value.type === "loading_complete") player.readyDelivered(frame.value.loading_session_id, connection);
  }

  startInstance(slot: string): void {
    const { variant, config, context, clientRedis, options, rng, hooks, laterRng } = this.setup;
    const incarnation = (this.incarnations.get(slot) ?? 0) + 1;
    this.incarnations.set(slot, incarnation);
    const id = instanceId(slot, incarnation);
    const previous = this.instances.get(slot);
    const serverId = previous && laterRng.chance(KEEPS_ID_ON_RESTART) ? previous.serverId : id;
    const skew = drawSkew(options, rng);
    const instance = new SimInstance(slot, id, serverId, skew, variant, config, context, clientRedis, this.servers, rng.fork(id), {
      escaped: (dead, handler, error) => hooks.escaped(dead, handler, error),
      commandExecuted: hooks.commandExecuted,
      ...(this.setup.probes ? { probes: this.setup.probes } : {}),
    });
    this.instances.set(slot, instance);
    this.serverIds.set(id, serverId);
    this.subscribers.set(id, instance.redis);
    instance.server.start().catch((error: unknown) => {
      if (instance.alive) hooks.escaped(instance, "start", error);
    });
  }

  /** The instance dies: its pending steps and timers vanish, its sockets reset, a supervisor restarts it. */
  crash(instance: SimInstance, why: string): void {
    if (!instance.alive) return;
    instance.alive = false;
    const { context, redis, rng } = this.setup;
    const interruption: Interruption = { kind: "crash", slot: instance.slot, instance: instance.id, from: context.steps.now - EPOCH, until: null };
    this.interruptions.push(interruption);
    context.steps.cancelOwner(instance.id);
    redis.disconnect(instance.id);
    this.subscribers.delete(instance.id);
    for (const connection of instance.connections) connection.instanceDied();
    scheduleFault(context.steps, rng.int(RESTART_MIN_MS, RESTART_MAX_MS), { fault: "restart", target: instance.slot, note: `(after: ${why})` }, () => {
      interruption.until = context.steps.now - EPOCH;
      if (this.instances.get(instance.slot) !== instance) return "";
      this.startInstance(instance.slot);
      const restarted = this.instances.get(instance.slot);
      return restarted && restarted.serverId !== restarted.id ? `${restarted.id} keeps the id ${restarted.serverId}` : "";
    });
  }
}
