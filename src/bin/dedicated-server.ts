import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Option } from "commander";
import seedrandom from "seedrandom";
import { CryptoRandom } from "../adapters/crypto-random.ts";
import { IoRedisPort } from "../adapters/ioredis-port.ts";
import { JsonLogger } from "../adapters/json-logger.ts";
import { SystemTime } from "../adapters/system-clock.ts";
import { DedicatedServer } from "../dedicated/index.ts";
import type { LogLevel } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";
import {
  cliProgram,
  logLevelOption,
  nonNegativeIntegerOption,
  onShutdownSignal,
  portOption,
  positiveIntegerOption,
  probabilityOption,
  processInstanceId,
  runCli,
  variantOption,
  within,
} from "./cli.ts";
import { readBody, reply, router } from "./http-routes.ts";

/** A create request is a short list of ids; anything this large is not one. */
const MAX_BODY_BYTES = 64 * 1024;
const REDIS_QUIT_MS = 1_000;

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
}

async function run(options: DedicatedOptions): Promise<void> {
  const logger = new JsonLogger(process.stdout, options.id ?? processInstanceId("dedicated"), options.logLevel);
  const redis = IoRedisPort.connect(options.redis, (error) =>
    logger.log("warn", "redis_connection_error", { error: error.message }),
  );
  // Injected failures are reproducible when seeded, so a test can count on which requests fail.
  const chance = options.seed === undefined ? Math.random : seedrandom(options.seed);
  let dedicated: DedicatedServer | null = null;

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
          reply(response, dedicated ? 200 : 503, "application/json", JSON.stringify({ status: dedicated ? "ok" : "starting" }));
        },
      },
      (error) => logger.log("error", "http_route_failed", { error: String(error) }),
    ),
  );

  onShutdownSignal(async (signal) => {
    logger.log("info", "shutdown_started", { signal });
    http.close();
    await within(REDIS_QUIT_MS, redis.quit().catch(() => undefined), undefined);
    http.closeAllConnections();
    logger.log("info", "shutdown_complete", {});
    process.exit(0);
  });

  // The address players and match servers reach us on is only known once the port is bound.
  await new Promise<void>((resolve) => http.listen(options.port, options.host, resolve));
  const { port } = http.address() as AddressInfo;
  const address = `${options.host}:${port}`;
  const id = options.id ?? address;
  const games = options.gameMs === undefined ? undefined : { lengthMs: options.gameMs, timers: new SystemTime() };
  const server = new DedicatedServer({ variant: options.variant, id, address, random: new CryptoRandom(), redis, logger, games });
  try {
    await server.register();
  } catch (error) {
    logger.log("error", "start_failed", { error: String(error) });
    process.exit(1);
  }
  dedicated = server;
  logger.log("info", "listening", { port, host: options.host, id, variant: options.variant });
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
  .action(run);

await runCli(program, process.argv);
