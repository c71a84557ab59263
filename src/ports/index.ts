import type { Clock, Timers } from "./clock.ts";
import type { HttpPort } from "./http.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import type { Probes } from "./probes.ts";
import type { Random } from "./random.ts";
import type { RedisPort } from "./redis.ts";
import type { Supervisor } from "./supervisor.ts";

export type { Clock, TimerHandle, Timers } from "./clock.ts";
export type { HttpPort, HttpRequestOptions, HttpResponse } from "./http.ts";
export type { LogFields, Logger, LogLevel } from "./logger.ts";
export type { CounterName, HistogramName, Metrics } from "./metrics.ts";
export { NO_PROBES, type Probes } from "./probes.ts";
export type { Random } from "./random.ts";
export type { LuaScript, MessageListener, RedisArg, RedisPort, RedisReply } from "./redis.ts";
export type { ClientSocket, ConnectionEvents } from "./socket.ts";
export type { Supervisor } from "./supervisor.ts";

/** Everything one server instance may reach outside itself. Nothing in `src/` reaches further. */
export interface Ports {
  /** Identifies this instance (process) for logs, connection ids and the fixed server's ownership records. */
  instanceId: string;
  clock: Clock;
  timers: Timers;
  random: Random;
  redis: RedisPort;
  http: HttpPort;
  logger: Logger;
  metrics: Metrics;
  supervisor: Supervisor;
  /** Where branches worth knowing about are counted; absent, nowhere. */
  probes?: Probes;
}
