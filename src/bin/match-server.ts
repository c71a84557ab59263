import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Option } from "commander";
import { CryptoRandom } from "../adapters/crypto-random.ts";
import { FetchHttp } from "../adapters/fetch-http.ts";
import { IoRedisPort } from "../adapters/ioredis-port.ts";
import { JsonLogger } from "../adapters/json-logger.ts";
import { ProcessSupervisor } from "../adapters/process-supervisor.ts";
import { PromMetrics } from "../adapters/prom-metrics.ts";
import { SystemTime } from "../adapters/system-clock.ts";
import { attachWebSocketTransport } from "../adapters/ws-transport.ts";
import type { LogLevel, Ports } from "../ports/index.ts";
import { createMatchServer } from "../server/create.ts";
import type { Variant } from "../server/match-server.ts";
import { cliProgram, EXIT_USAGE, logLevelOption, onShutdownSignal, portOption, processInstanceId, runCli, variantOption, within } from "./cli.ts";
import { loadConfigFile } from "./config-file.ts";
import { reply, router } from "./http-routes.ts";
import { queueSizeReader } from "./queue-sizes.ts";

/** Shutdown limits: clients get this long to finish the closing handshake, handlers this long to finish. */
const SOCKET_CLOSE_GRACE_MS = 1_000;
const HANDLER_DRAIN_MS = 5_000;
const REDIS_QUIT_MS = 1_000;
const HEALTH_PING_MS = 1_000;

interface ServeOptions {
  variant: Variant;
  config?: string;
  redis: string;
  port: number;
  host: string;
  instanceId?: string;
  logLevel: LogLevel;
}

async function serve(options: ServeOptions): Promise<void> {
  const config = loadConfigFile(options.config);
  if (!config.ok) {
    process.stderr.write(`match-server: ${config.error}\n`);
    process.exit(EXIT_USAGE);
  }
  const instanceId = options.instanceId ?? processInstanceId(options.variant);
  const logger = new JsonLogger(process.stdout, instanceId, options.logLevel);
  const redis = IoRedisPort.connect(options.redis, (error) =>
    logger.log("warn", "redis_connection_error", { error: error.message }),
  );
  const metrics = new PromMetrics(queueSizeReader(options.variant, config.value, redis), (error) =>
    logger.log("warn", "queue_size_read_failed", { error: String(error) }),
  );
  const supervisor = new ProcessSupervisor(logger, metrics);
  const time = new SystemTime();
  const ports: Ports = {
    instanceId,
    clock: time,
    timers: time,
    random: new CryptoRandom(),
    redis,
    http: new FetchHttp(),
    logger,
    metrics,
    supervisor,
  };
  const server = createMatchServer(options.variant, config.value, ports);
  try {
    await server.start();
  } catch (error) {
    logger.log("error", "start_failed", { error: String(error) });
    await within(REDIS_QUIT_MS, redis.quit().catch(() => undefined), undefined);
    process.exit(1);
  }

  const http = createServer(
    router(
      {
        "GET /metrics": async (_request, response) => {
          const { contentType, body } = await metrics.exposition();
          reply(response, 200, contentType, body);
        },
        "GET /healthz": async (_request, response) => {
          const pong = await within(HEALTH_PING_MS, redis.call("PING").catch(() => null), null);
          const healthy = pong === "PONG";
          const body = { status: healthy ? "ok" : "redis unavailable", variant: options.variant, instance: instanceId };
          reply(response, healthy ? 200 : 503, "application/json", JSON.stringify(body));
        },
      },
      (error) => logger.log("error", "http_route_failed", { error: String(error) }),
    ),
  );
  const transport = attachWebSocketTransport(http, server);

  onShutdownSignal(async (signal) => {
    logger.log("info", "shutdown_started", { signal, open_sockets: transport.openSockets });
    http.close();
    // Closing the sockets first lets each connection's close handler clean up its player while the
    // server still runs; then the periodic work stops and the handlers in flight get time to finish.
    await transport.close(SOCKET_CLOSE_GRACE_MS);
    await server.stop();
    const drained = await supervisor.idle(HANDLER_DRAIN_MS);
    await within(REDIS_QUIT_MS, redis.quit().catch(() => undefined), undefined);
    http.closeAllConnections();
    logger.log("info", "shutdown_complete", { drained, handlers_abandoned: supervisor.inFlight });
    process.exit(0);
  });

  http.listen(options.port, options.host, () => {
    const { port, address } = http.address() as AddressInfo;
    logger.log("info", "listening", { port, host: address, variant: options.variant, redis: options.redis });
  });
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
  .action(serve);

await runCli(program, process.argv);
