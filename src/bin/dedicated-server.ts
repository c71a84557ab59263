import { createServer } from "node:http";
import { Option } from "commander";
import seedrandom from "seedrandom";
import { CryptoRandom } from "../adapters/crypto-random.ts";
import type { IoRedisPort } from "../adapters/ioredis-port.ts";
import { JsonLogger } from "../adapters/json-logger.ts";
import { PromMetrics } from "../adapters/prom-metrics.ts";
import { SystemTime } from "../adapters/system-clock.ts";
import { DEFAULT_HEARTBEAT_MS, DEFAULT_REGISTRATION_TTL_MS, DedicatedServer } from "../dedicated/index.ts";
import type { LogLevel } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";
import { DEDICATED_SERVER_COUNTERS, DEDICATED_SERVER_SERIES } from "../server/metric-catalog.ts";
import {
  cliProgram,
  logLevelOption,
  nonNegativeIntegerOption,
  onShutdownSignal,
  portOption,
  positiveIntegerOption,
  probabilityOption,
  processInstanceId,
  refuse,
  runCli,
  variantOption,
  within,
} from "./cli.ts";
import { readBody, reply, router } from "./http-routes.ts";
import { redisAnswers } from "./redis-health.ts";
import { connectRedis, listen, redisUrlProblem } from "./startup.ts";

/** A create request is a short list of ids; anything this large is not one. */
const MAX_BODY_BYTES = 64 * 1024;
const REDIS_QUIT_MS = 300;
const DEFAULT_REDIS_WAIT_MS = 30_000;

interface DedicatedOptions {
  variant: Variant;
  redis: string;
  port: number;
  host: string;
  id?: string;
  delayMs: number;
  failRate: number;
  gameMs?: number;
  seed?: string;
  logLevel: LogLevel;
  heartbeatMs: number;
  ttlMs: number;
  redisWaitMs: number;
}

async function run(options: DedicatedOptions): Promise<void> {
  const program = "dedicated-server";
  const urlProblem = redisUrlProblem(options.redis);
  if (urlProblem) refuse(program, `--redis: ${urlProblem}`);
  if (options.ttlMs <= options.heartbeatMs) refuse(program, "--ttl-ms must be longer than --heartbeat-ms, or every registration lapses");
  const logger = new JsonLogger(process.stdout, options.id ?? processInstanceId("dedicated"), options.logLevel);
  // Injected failures are reproducible when seeded, so a test can count on which requests fail.
  const chance = options.seed === undefined ? Math.random : seedrandom(options.seed);
  let dedicated: DedicatedServer | null = null;
  let redis: IoRedisPort | null = null;

  const metrics = new PromMetrics({
    counters: DEDICATED_SERVER_COUNTERS,
    series: DEDICATED_SERVER_SERIES,
    gauges: [
      { name: "redis_up", help: "1 when Redis answered a PING at scrape time, else 0.", labels: [] },
      { name: "dedicated_server_registered", help: "1 while this server believes its registration is live.", labels: [] },
      { name: "dedicated_server_games_running", help: "Games created here that are not over.", labels: [] },
    ],
    read: async () => ({
      redis_up: [{ value: redis !== null && (await redisAnswers(redis)) ? 1 : 0 }],
      dedicated_server_registered: [{ value: dedicated?.isRegistered ? 1 : 0 }],
      dedicated_server_games_running: [{ value: dedicated?.gamesRunning ?? 0 }],
    }),
    processMetrics: true,
  });

  const http = createServer(
    router(
      {
        "POST /session/create": async (request, response) => {
          const body = await readBody(request, MAX_BODY_BYTES);
          if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          if (body === null) {
            reply(response, 413, "application/json", JSON.stringify({ error: "body too large" }));
          } else if (dedicated === null) {
            reply(response, 503, "application/json", JSON.stringify({ error: "starting" }));
          } else if (chance() < options.failRate) {
            logger.log("info", "injected_failure", {});
            reply(response, 500, "application/json", JSON.stringify({ error: "injected failure" }));
          } else {
            const answer = await dedicated.handleCreateSession(body, request.headers);
            reply(response, answer.status, "application/json", answer.body);
          }
        },
        "GET /healthz": async (_request, response) => {
          const up = redis !== null && (await redisAnswers(redis));
          const registered = dedicated?.isRegistered ?? false;
          const gamesRunning = dedicated?.gamesRunning ?? 0;
          // A server that lost its registration while it hosts a game is well: it registers again once the game
          // is over, and a restart would end the game.
          const healthy = up && (registered || gamesRunning > 0);
          const status = !up ? "redis unavailable" : registered ? "ok" : gamesRunning > 0 ? "hosting, registers after its games" : dedicated ? "unregistered" : "starting";
          const body = { status, registered, games_running: gamesRunning, redis: up ? "up" : "down" };
          reply(response, healthy ? 200 : 503, "application/json", JSON.stringify(body));
        },
        "GET /metrics": async (_request, response) => {
          const { contentType, body } = await metrics.exposition();
          reply(response, 200, contentType, body);
        },
      },
      (error) => logger.log("error", "http_route_failed", { error: String(error) }),
    ),
  );

  onShutdownSignal(
    async (signal) => {
      logger.log("info", "shutdown_started", { signal });
      dedicated?.stop();
      http.close();
      if (redis) await within(REDIS_QUIT_MS, redis.quit().catch(() => undefined), undefined);
      redis?.disconnect();
      http.closeAllConnections();
      logger.log("info", "shutdown_complete", {});
      process.exit(0);
    },
    () => {
      logger.log("warn", "shutdown_forced", {});
      process.exit(0);
    },
  );

  // The address players and match servers reach us on is only known once the port is bound, and a server
  // that cannot serve must not register.
  const bound = await listen(http, options.port, options.host);
  if (typeof bound === "string") refuse(program, bound);
  http.on("error", (error) => logger.log("error", "http_server_failed", { error: String(error) }));
  const address = `${options.host}:${bound.port}`;
  const id = options.id ?? address;

  const time = new SystemTime();
  const connected = await connectRedis(program, options, logger, () => time.now(), (opened) => (redis = opened));

  const games = options.gameMs === undefined ? undefined : { lengthMs: options.gameMs, timers: time };
  const server = new DedicatedServer({
    variant: options.variant,
    id,
    address,
    random: new CryptoRandom(),
    redis: connected,
    logger,
    metrics,
    games,
    registrationTtlMs: options.ttlMs,
    heartbeat: { timers: time, intervalMs: options.heartbeatMs },
  });
  try {
    await server.register();
  } catch (error) {
    // Redis went away again since it answered: the heartbeat registers once it is back.
    logger.log("warn", "dedicated_server_register_failed", { error: String(error) });
  }
  server.keepAlive();
  dedicated = server;
  logger.log("info", "listening", { port: bound.port, host: options.host, id, variant: options.variant });
}

const program = cliProgram("dedicated-server", "A stand-in game server: registers in Redis and answers POST /session/create.")
  .addOption(new Option("--variant <variant>", "Redis layout to register in: fixed or legacy").default("fixed").argParser(variantOption))
  .option("--redis <url>", "Redis URL", "redis://127.0.0.1:6379")
  .option("--port <n>", "HTTP port (0 picks a free one)", portOption, 9000)
  .option("--host <host>", "address to bind and to advertise", "127.0.0.1")
  .option("--id <id>", "registry id (default: host:port)")
  .option("--delay-ms <n>", "wait this long before answering a create request", nonNegativeIntegerOption, 0)
  .option("--fail-rate <p>", "probability that a create request answers 500", probabilityOption, 0)
  .option("--game-ms <n>", "a game is over this long after it was created, and the server idle again (default: games never end)", positiveIntegerOption)
  .option("--seed <seed>", "seed for the injected failures (default: unseeded)")
  .option("--log-level <level>", "lowest level logged: debug, info, warn, error", logLevelOption, "info" as LogLevel)
  .option("--heartbeat-ms <n>", "fixed: how often the registration is renewed", positiveIntegerOption, DEFAULT_HEARTBEAT_MS)
  .option("--ttl-ms <n>", "fixed: how long the registration lasts unrenewed; then the match servers reap it", positiveIntegerOption, DEFAULT_REGISTRATION_TTL_MS)
  .option(
    "--redis-wait-ms <n>",
    "at start, how long to keep trying an unreachable Redis before giving up (exit 2); once running, Redis outages are ridden out",
    nonNegativeIntegerOption,
    DEFAULT_REDIS_WAIT_MS,
  )
  .action(run);

await runCli(program, process.argv);
