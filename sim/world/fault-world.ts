import type { MatchConfig } from "../../src/config/config.ts";
import type { Variant } from "../../src/server/match-server.ts";
import { assert, broken } from "../assert.ts";
import type { ChoiceSites } from "../faults/choices.ts";
import type { FaultWorld, LossyConnection } from "../faults/fault-kind.ts";
import { scheduleFault } from "../faults/schedule.ts";
import type { Rng } from "../random/rng.ts";
import type { KeyspaceSnapshot, RedisArg, SimulatedRedis } from "../redis/index.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { StepEvent } from "../trace/events.ts";
import { KITS } from "../variants/index.ts";
import type { Cluster } from "./cluster.ts";
import { foreignCall } from "./foreign-caller.ts";
import { EPOCH } from "./context.ts";
import type { SimRedisPort } from "./sim-redis-port.ts";

export interface FaultWorldParts {
  variant: Variant;
  options: WorldOptions;
  config: MatchConfig;
  steps: PendingSteps;
  cluster: Cluster;
  /** The fault stream: planned faults draw from it. */
  rng: Rng;
  choices: ChoiceSites;
  /** Where foreign writes go, and a hook telling the world they happened. */
  clientRedis: SimulatedRedis;
  commandExecuted(): void;
  /** The lane of the step that ran last, null before the first. */
  lastLane(): string | null;
  /** What the step that ran last did, null before the first. */
  lastEvent(): StepEvent | null;
}

/** How long clients take to reconnect to a restarted Redis, ms: its start-up and their back-off. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2_000;

function lossy(port: SimRedisPort, steps: PendingSteps, windowMs: number): LossyConnection {
  return {
    client: port.client,
    commandReady: () => !port.losesNext() && steps.headReady(port.source, windowMs),
    loseNext: (outcome) => port.loseNext(outcome),
    lossyFor: (durationMs, chance) => port.lossyFor(durationMs, chance),
  };
}

/** The world as fault kinds see it: what they may strike, and how, planned or by choice. */
export function faultWorld(parts: FaultWorldParts): FaultWorld {
  const { options, steps, cluster, rng, choices } = parts;
  /** One Redis connection breaks: Redis forgets the client, which reconnects `gapMs` later. */
  const breakConnection = (port: SimRedisPort, gapMs: number): void => {
    parts.clientRedis.disconnect(port.client);
    port.connectionLost(gapMs);
  };
  /**
   * Every Redis connection breaks and comes back `gapMs` later: each live instance is deaf meanwhile (what was
   * published to it, or on its way, is lost). Says how many connections broke.
   */
  const breakConnections = (gapMs: number): number => {
    const from = steps.now - EPOCH;
    for (const instance of cluster.instances.values()) {
      if (instance.alive) cluster.interruptions.push({ kind: "deaf", slot: instance.slot, instance: instance.id, from, until: from + gapMs, cutOff: true });
    }
    const ports = cluster.redisConnections();
    for (const port of ports) breakConnection(port, gapMs);
    return ports.length;
  };
  /** When (ms since the run began) each snapshot was saved: its own time is Redis's, which a clock step moves. */
  const savedAtRunTime = new Map<KeyspaceSnapshot, number>();
  /**
   * Redis comes back from a restart whose keyspace the caller has set: another process (a new run_id), its scripts
   * gone, and every client reconnects after its start-up and their back-off. Says after how long, in ms.
   */
  const restarted = (): number => {
    parts.clientRedis.restart();
    const reconnectMs = rng.int(RECONNECT_MIN_MS, RECONNECT_MAX_MS);
    breakConnections(reconnectMs);
    return reconnectMs;
  };
  const laneOf = (target: string): string =>
    cluster.instances.has(target) ? `instance:${target}` : cluster.serverConnections.has(target) ? `ds:${target}` : `player:${target}`;
  return {
    options,
    config: parts.config,
    rng,
    slots: [...cluster.instances.keys()],
    players: cluster.players,
    now: () => steps.now - EPOCH,
    activeTime: () => rng.int(Math.floor(options.activeMs * 0.1), Math.floor(options.activeMs * 0.9)),
    schedule: (delayMs, spec, effect) => scheduleFault(steps, delayMs, spec, effect),
    instance: (slot) => cluster.instances.get(slot),
    crash: (instance, why) => {
      const live = cluster.instances.get(instance.slot);
      if (live !== instance) broken(`fault asked to crash ${instance.id}, which is not a current incarnation`);
      cluster.crash(live, why);
    },
    pause: (instance, durationMs) => {
      const from = steps.now - EPOCH;
      cluster.interruptions.push({ kind: "pause", slot: instance.slot, instance: instance.id, from, until: from + durationMs });
      steps.pause(instance.id, steps.now + durationMs);
    },
    loseSubscriptions: (instance, gapMs) => {
      const live = cluster.instances.get(instance.slot);
      if (live !== instance) broken(`fault asked ${instance.id} to lose its subscriptions, which is not a current incarnation`);
      const from = steps.now - EPOCH;
      cluster.interruptions.push({ kind: "deaf", slot: instance.slot, instance: instance.id, from, until: from + gapMs });
      live.redis.loseSubscriptions(gapMs);
    },
    paused: (instance) => steps.isPaused(instance.id),
    foreignWrite: () => {
      parts.commandExecuted();
      const keys: string[] = [];
      const writer = {
        execute: (command: string, args: readonly RedisArg[]) => {
          const reply = parts.clientRedis.execute(command, args);
          keys.push(...(parts.clientRedis.lastFootprint()?.writes() ?? []));
          return reply;
        },
      };
      const what = KITS[parts.variant].corrupt(writer, parts.config, rng, [...cluster.servers.keys()]);
      cluster.foreignWrites.push({ at: steps.now - EPOCH, keys });
      return what;
    },
    publishGarbage: () => {
      parts.commandExecuted();
      const live = [...cluster.instances.values()].filter((instance) => instance.alive).map((instance) => instance.id);
      return KITS[parts.variant].publishGarbage(parts.clientRedis, rng, live);
    },
    offer: (spec, available, effect) => choices.offer(spec, available, effect),
    choiceRng: choices.rng,
    momentFor: (target) => options.faultOffers === "everywhere" || parts.lastLane() === laneOf(target),
    midHandler: (slot) => {
      const instance = cluster.instances.get(slot);
      return instance !== undefined && instance.alive && steps.pendingOn(instance.redis.source);
    },
    restartRedis: () => {
      parts.commandExecuted();
      const lost = parts.clientRedis.keys().length;
      parts.clientRedis.execute("FLUSHALL", []);
      return `${lost} keys and every script lost; clients reconnect after ${restarted()} ms`;
    },
    saveRedis: () => {
      const snapshot = parts.clientRedis.snapshot();
      savedAtRunTime.set(snapshot, steps.now - EPOCH);
      return snapshot;
    },
    rollBackRedis: (snapshot) => {
      parts.commandExecuted();
      const at = steps.now - EPOCH;
      const savedAt = savedAtRunTime.get(snapshot) ?? broken("a rollback restores a snapshot this world never saved");
      assert(savedAt <= at, `a rollback at ${at} ms restores a snapshot from the future (${savedAt} ms)`);
      const replaced = parts.clientRedis.keys().length;
      // Loaded by commands on the clients' path, as a restart's FLUSHALL is: what a run executed is what the
      // conformance suite replays on a real Redis, which has no way to load a snapshot of the simulated one.
      parts.clientRedis.execute("FLUSHALL", []);
      for (const { command, args } of snapshot.loadAt(steps.now + cluster.redisClockOffsetMs)) parts.clientRedis.execute(command, args);
      const loaded = parts.clientRedis.keys().length;
      cluster.redisRollbacks.push({ at, savedAt });
      return `${replaced} keys replaced by the ${loaded} saved ${at - savedAt} ms earlier, later writes and every script lost; clients reconnect after ${restarted()} ms`;
    },
    jumpRedisClock: (byMs) => {
      const at = steps.now - EPOCH;
      cluster.redisClockJumps.push({ at, byMs });
      return `Redis's clock ${byMs > 0 ? "forward" : "back"} ${Math.abs(byMs)} ms (now ${cluster.redisClockOffsetMs} ms off the run's)`;
    },
    cutRedis: (outageMs) => `${breakConnections(outageMs)} connections broken; clients reconnect after ${outageMs} ms`,
    servers: [...cluster.serverConnections.keys()],
    serverUp: (id) => cluster.serversById.get(id)?.alive === true,
    callWaiting: (id) => cluster.serversById.get(id)?.callWaiting === true,
    touchedServer: (id) => {
      const event = parts.lastEvent();
      return event?.kind === "redis" && event.writes.includes(KITS[parts.variant].serverKey(id));
    },
    serverProcess: (id, change) => {
      const server = cluster.serversById.get(id);
      if (!server) return "no such server";
      if (change === "die") {
        if (!server.alive) return "already down";
        const hosting = !server.free;
        server.die();
        steps.cancelOwner(id);
        return `${id} died${hosting ? " with its game" : ""}`;
      }
      if (server.alive) return "already up";
      server.revive();
      return `${id} started again`;
    },
    serverCutOff: (id) => cluster.serversById.get(id)?.cutOff === true,
    cutOffServer: (id, durationMs) => {
      const server = cluster.serversById.get(id);
      const port = cluster.serverConnections.get(id);
      if (!server || !port) return "no such server";
      server.cutOffUntil = steps.now - EPOCH + durationMs;
      breakConnection(port, durationMs);
      return `${id} cut off from the network for ${durationMs} ms`;
    },
    foreignCall: (id) => {
      const server = cluster.serversById.get(id);
      if (!server) return "no such server";
      const call = foreignCall(server, rng);
      if (server.cutOff) return `${call.what}: lost, ${id} is cut off`;
      if (!server.alive) return `${call.what}: refused, ${id} is down`;
      void server.handle(call.body, call.headers, true);
      return call.what;
    },
    connectionTargets: [...cluster.instances.keys(), ...cluster.serverConnections.keys()],
    connection: (target) => {
      const instance = cluster.instances.get(target);
      if (instance !== undefined) return instance.alive ? lossy(instance.redis, steps, options.raceWindowMs) : null;
      const server = cluster.serverConnections.get(target);
      return server === undefined ? null : lossy(server, steps, options.raceWindowMs);
    },
  };
}
