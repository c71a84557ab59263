import { createServer } from "node:http";
import { Option } from "commander";
import { CryptoRandom } from "../adapters/crypto-random.ts";
import { FetchHttp } from "../adapters/fetch-http.ts";
import type { IoRedisPort } from "../adapters/ioredis-port.ts";
import { JsonLogger } from "../adapters/json-logger.ts";
import { ProcessSupervisor } from "../adapters/process-supervisor.ts";
import { PromMetrics } from "../adapters/prom-metrics.ts";
import { SystemTime } from "../adapters/system-clock.ts";
import { attachWebSocketTransport, type WebSocketTransport } from "../adapters/ws-transport.ts";
import type { LogLevel, Ports } from "../ports/index.ts";
import { createMatchServer } from "../server/create.ts";
import type { MatchServer, Variant } from "../server/match-server.ts";
import { HISTOGRAMS, MATCH_SERVER_COUNTERS, matchServerSeries } from "../server/metric-catalog.ts";
import type { HistogramName } from "../ports/index.ts";
import {
  cliProgram,
  logLevelOption,
  nonNegativeIntegerOption,
  onShutdownSignal,
  portOption,
  processInstanceId,
  refuse,
  runCli,
  variantOption,
  within,
} from "./cli.ts";
import { loadConfigFile } from "./config-file.ts";
import { reply, router } from "./http-routes.ts";
import { fixedStats, MATCH_SERVER_GAUGES, matchServerReading } from "./match-gauges.ts";
import { redisAnswers } from "./redis-health.ts";
import { connectRedis, listen, redisUrlProblem } from "./startup.ts";

/** Shutdown steps, each bounded, together well inside SHUTDOWN_LIMIT_MS: closing handshakes, handlers, Redis. */
const SOCKET_CLOSE_GRACE_MS = 500;
const HANDLER_DRAIN_MS = 700;
const REDIS_QUIT_MS = 300;
const DEFAULT_REDIS_WAIT_MS = 30_000;

interface ServeOptions {
  variant: Variant;
  config?: string;
  redis: string;
  port: number;
  host: string;
  instanceId?: string;
  logLevel: LogLevel;
  redisWaitMs: number;
}

async function serve(options: ServeOptions): Promise<void> {
  const program = "match-server";
  const config = loadConfigFile(options.config);
  if (!config.ok) refuse(program, config.error);
  const urlProblem = redisUrlProblem(options.redis);
  if (urlProblem) refuse(program, `--redis: ${urlProblem}`);
  const instanceId = options.instanceId ?? processInstanceId(options.variant);
  const logger = new JsonLogger(process.stdout, instanceId, options.logLevel);

  let server: MatchServer | null = null;
  let transport: WebSocketTransport | null = null;
  let redis: IoRedisPort | null = null;
  let supervisor: ProcessSupervisor | null = null;

  const metrics = new PromMetrics({
    counters: MATCH_SERVER_COUNTERS,
    histograms: Object.keys(HISTOGRAMS) as HistogramName[],
    series: matchServerSeries(options.variant, config.value),
    gauges: MATCH_SERVER_GAUGES,
    read: async () =>
      redis === null
        ? { redis_up: [{ value: 0 }], open_connections: [{ value: 0 }] }
        : matchServerReading(options.variant, config.value, redis, instanceId, () => transport?.openSockets ?? 0, (error) =>
            logger.log("warn", "metrics_read_failed", { error: String(error) }),
          )(),
    processMetrics: true,
  });

  const http = createServer(
    router(
      {
        "GET /metrics": async (_request, response) => {
          const { contentType, body } = await metrics.exposition();
          reply(response, 200, contentType, body);
        },
        "GET /healthz": async (_request, response) => {
          const up = redis !== null && (await redisAnswers(redis));
          const ready = up && server !== null && server.ready();
          const body: Record<string, unknown> = {
            status: ready ? "ok" : up ? "starting" : "redis unavailable",
            variant: options.variant,
            instance: instanceId,
            redis: up ? "up" : "down",
          };
          if (up && redis !== null && options.variant === "fixed") {
            const stats = await fixedStats(redis, instanceId).catch(() => null);
            if (stats) body.dedicated_servers = stats.servers;
          }
          reply(response, ready ? 200 : 503, "application/json", JSON.stringify(body));
        },
      },
      (error) => logger.log("error", "http_route_failed", { error: String(error) }),
    ),
  );

  onShutdownSignal(
    async (signal) => {
      logger.log("info", "shutdown_started", { signal, open_sockets: transport?.openSockets ?? 0 });
      http.close();
      // Closing the sockets first lets each connection's close handler clean up its player while the
      // server still runs; then the periodic work stops and the handlers in flight get time to finish.
      await transport?.close(SOCKET_CLOSE_GRACE_MS);
      await server?.stop();
      const drained = (await supervisor?.idle(HANDLER_DRAIN_MS)) ?? true;
      if (redis) await within(REDIS_QUIT_MS, redis.quit().catch(() => undefined), undefined);
      redis?.disconnect();
      http.closeAllConnections();
      logger.log("info", "shutdown_complete", { drained, handlers_abandoned: supervisor?.inFlight ?? 0 });
      process.exit(0);
    },
    () => {
      logger.log("warn", "shutdown_forced", { handlers_abandoned: supervisor?.inFlight ?? 0 });
      process.exit(0);
    },
  );

  // The port first: a server that cannot serve must not register anywhere.
  const bound = await listen(http, options.port, options.host);
  if (typeof bound === "string") refuse(program, bound);
  http.on("error", (error) => logger.log("error", "http_server_failed", { error: String(error) }));

  const time = new SystemTime();
  const connected = await connectRedis(program, options, logger, () => time.now(), (opened) => (redis = opened));

  supervisor = new ProcessSupervisor(logger, metrics);
  const ports: Ports = {
    instanceId,
    clock: time,
    timers: time,
    random: new CryptoRandom(),
    redis: connected,
    http: new FetchHttp(),
    logger,
    metrics,
    supervisor,
  };
  const started = createMatchServer(options.variant, config.value, ports);
  await started.start();
  server = started;
  transport = attachWebSocketTransport(http, started);
  logger.log("info", "listening", { port: bound.port, host: bound.address, variant: options.variant, redis: options.redis });
}

const program = cliProgram("match-server", "Game match server: queue, matchmaking, loading, allocation.");
program
  .command("serve")
  .description("run one match server instance on a real Redis, serving WebSocket clients on /ws/")
  .addOption(new Option("--variant <variant>", "server variant: fixed or legacy").default("fixed").argParser(variantOption))
  .option("--config <file>", "TOML file with MatchConfig keys (defaults otherwise)")
  .option("--redis <url>", "Redis URL", "redis://127.0.0.1:6379")
  .option("--port <n>", "HTTP/WebSocket port (0 picks a free one)", portOption, 8080)
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--instance-id <id>", "instance id in logs and Redis records (default: variant-host-pid-random)")
  .option("--log-level <level>", "lowest level logged: debug, info, warn, error", logLevelOption, "info" as LogLevel)
  .option(
    "--redis-wait-ms <n>",
    "at start, how long to keep trying an unreachable Redis before giving up (exit 2); once running, Redis outages are ridden out",
    nonNegativeIntegerOption,
    DEFAULT_REDIS_WAIT_MS,
  )
  .action(serve);

await runCli(program, process.argv);
