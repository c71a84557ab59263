import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { IoRedisPort } from "../adapters/ioredis-port.ts";
import type { Logger, RedisPort } from "../ports/index.ts";
import { reconnectDelay } from "../adapters/redis-retry.ts";
import { refuse, within } from "./cli.ts";

/** Longest wait for one PING while Redis is being waited for. */
const PING_LIMIT_MS = 1_000;

/** Why a Redis URL cannot be used, or null: redis:// or rediss://, a host, and a database number if any. */
export function redisUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `malformed Redis URL "${text}" (expected redis://host:port)`;
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") return `Redis URL "${text}" must start with redis:// or rediss://`;
  if (url.hostname === "") return `Redis URL "${text}" names no host`;
  const database = url.pathname.replace(/^\//, "");
  if (database !== "" && !/^\d+$/.test(database)) return `Redis URL "${text}": database "${database}" is not a number`;
  return null;
}

function listenProblem(error: NodeJS.ErrnoException, port: number, host: string): string {
  switch (error.code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is in use`;
    case "EACCES":
      return `no permission to listen on port ${port} on ${host}`;
    case "EADDRNOTAVAIL":
      return `${host} is not an address of this machine`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host ${host} not found`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** Binds the port, before anything is registered anywhere: the address, or why it cannot be had. */
export function listen(http: Server, port: number, host: string): Promise<AddressInfo | string> {
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => resolve(listenProblem(error, port, host));
    http.once("error", failed);
    http.listen(port, host, () => {
      http.off("error", failed);
      resolve(http.address() as AddressInfo);
    });
  });
}

/**
 * Waits until Redis answers a PING, retrying with the client's back-off and telling `retrying` why each try
 * failed. Null once it answers; else one line saying why it cannot be reached: a host that does not exist or a
 * Redis that refuses us (a password) at once, a Redis that does not answer once `waitMs` have passed.
 */
export async function waitForRedis(
  redis: IoRedisPort,
  url: string,
  waitMs: number,
  now: () => number,
  retrying: (reason: string) => void,
): Promise<string | null> {
  const started = now();
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    try {
      const reply = await within(Math.max(1, Math.min(PING_LIMIT_MS, waitMs - (now() - started))), redis.call("PING"), null);
      if (reply === "PONG") return null;
      reason = reply === null ? "no answer" : `unexpected reply to PING: ${JSON.stringify(reply)}`;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      if (isRefusal(error) && !reason.startsWith("LOADING")) return `Redis at ${url} refused us: ${reason}`;
    }
    const cause = redis.lastError;
    if (cause?.code === "ENOTFOUND") return `cannot reach Redis at ${url}: host ${new URL(url).hostname} not found`;
    if (cause && isRefusal(cause)) return `Redis at ${url} refused us: ${cause.message}`;
    if (cause) reason = cause.message;
    const waited = now() - started;
    if (waited >= waitMs) return `cannot reach Redis at ${url}: ${reason} (gave up after ${(waited / 1000).toFixed(1)} s)`;
    retrying(reason);
    await new Promise((resolve) => setTimeout(resolve, Math.min(reconnectDelay(attempt), waitMs - waited)));
  }
}

/** An answer from Redis itself (a wrong password, a command refused), not a connection that failed. */
function isRefusal(error: unknown): boolean {
  return error instanceof Error && error.name === "ReplyError";
}

/**
 * Connects to Redis, its connection's ups and downs logged, and waits until it answers (`waitForRedis`); one that
 * cannot be reached ends the process in one line. `opened` hears of the connection at once, so a shutdown while
 * waiting can close it.
 */
export async function connectRedis(
  program: string,
  options: { redis: string; redisWaitMs: number },
  logger: Logger,
  now: () => number,
  opened: (redis: IoRedisPort) => void,
): Promise<IoRedisPort> {
  const connected = IoRedisPort.connect(options.redis, {
    error: (error) => logger.log("warn", "redis_connection_error", { error: error.message }),
    ready: () => logger.log("info", "redis_connected", {}),
  });
  opened(connected);
  const unreachable = await waitForRedis(connected, options.redis, options.redisWaitMs, now, (reason) => logger.log("warn", "redis_waiting", { reason }));
  if (unreachable) {
    connected.disconnect();
    refuse(program, unreachable);
  }
  const evicting = await evictionProblem(connected, options.redis, (reason) => logger.log("warn", "redis_policy_unknown", { reason }));
  if (evicting) {
    connected.disconnect();
    refuse(program, evicting);
  }
  return connected;
}

/**
 * Why this Redis cannot hold the servers' state, or null. Every key they write is state nothing rebuilds, and a
 * `volatile-*` policy would evict live sessions too (they carry a TTL backstop), so any policy but `noeviction`
 * is refused. A Redis that hides CONFIG (managed services rename it) is let through, with `unknown` told why.
 */
export async function evictionProblem(redis: Pick<RedisPort, "call">, url: string, unknown: (reason: string) => void): Promise<string | null> {
  let reply: unknown;
  try {
    reply = await within(PING_LIMIT_MS, redis.call("CONFIG", "GET", "maxmemory-policy"), null);
  } catch (error) {
    unknown(error instanceof Error ? error.message : String(error));
    return null;
  }
  const policy = Array.isArray(reply) && reply.length === 2 ? reply[1] : null;
  if (typeof policy !== "string") {
    unknown(reply === null ? "no answer to CONFIG GET maxmemory-policy" : `unexpected reply to CONFIG GET: ${JSON.stringify(reply)}`);
    return null;
  }
  if (policy === "noeviction") return null;
  return `Redis at ${url} evicts keys (maxmemory-policy ${policy}), which would lose players and sessions: set maxmemory-policy noeviction`;
}
