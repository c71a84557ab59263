import type { MatchConfig } from "../../src/config/config.ts";
import type { Logger, Metrics, Probes, Supervisor } from "../../src/ports/index.ts";
import { createMatchServer } from "../../src/server/create.ts";
import type { MatchServer, Variant } from "../../src/server/match-server.ts";
import type { SimulatedRedis } from "../redis/contract.ts";
import type { Rng } from "../random/rng.ts";
import type { SimContext } from "./context.ts";
import type { SimConnection } from "./sim-connection.ts";
import type { SimDedicatedServer } from "./sim-dedicated-server.ts";
import { SimHttp } from "./sim-http.ts";
import { SimRedisPort } from "./sim-redis-port.ts";
import { SimTimers, SkewedClock } from "./sim-time.ts";

const silent: Logger = { log: () => {} };
const uncounted: Metrics = { increment: () => {}, observe: () => {} };

export interface InstanceHooks {
  /** Where the instance's probes are counted (none in a bare run). */
  probes?: Probes;
  /** A handler let an error escape: in a real process the instance dies. */
  escaped(instance: SimInstance, handler: string, error: unknown): void;
  commandExecuted(): void;
}

/**
 * One incarnation of a server instance: the real server of src/ on simulated ports. A restart is a new
 * incarnation (`i1.2`): the harness names it apart from every other, for its steps, lane and Redis connection,
 * while the server calls itself `serverId`, a new id or the one the slot had before.
 */
export class SimInstance {
  readonly server: MatchServer;
  readonly connections = new Set<SimConnection>();
  readonly redis: SimRedisPort;
  alive = true;

  constructor(
    readonly slot: string,
    readonly id: string,
    readonly serverId: string,
    readonly skewMs: number,
    variant: Variant,
    config: MatchConfig,
    context: SimContext,
    redis: SimulatedRedis,
    servers: ReadonlyMap<string, SimDedicatedServer>,
    rng: Rng,
    hooks: InstanceHooks,
  ) {
    const lane = `instance:${slot}`;
    this.redis = new SimRedisPort(context, redis, id, id, lane, hooks.commandExecuted);
    const supervisor: Supervisor = {
      spawn: (handler, work) => {
        work().catch((error: unknown) => {
          if (this.alive) hooks.escaped(this, handler, error);
        });
      },
    };
    this.server = createMatchServer(variant, config, {
      instanceId: serverId,
      clock: new SkewedClock(context.steps, skewMs),
      timers: new SimTimers(context.steps, id, lane),
      random: { uuid: () => rng.uuid(), token: () => rng.token() },
      redis: this.redis,
      http: new SimHttp(context, servers, id, lane),
      logger: silent,
      metrics: uncounted,
      supervisor,
      ...(hooks.probes ? { probes: hooks.probes } : {}),
    });
  }
}
