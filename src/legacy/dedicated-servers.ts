import { isUuid } from "../protocol/parse.ts";
import { err, ok, type Result } from "../protocol/result.ts";
import type { HttpPort, Logger, RedisPort } from "../ports/index.ts";
import { DEDICATED_SERVER_PATTERN, dedicatedServerKey } from "./keys.ts";
import { scanKeys } from "./scan.ts";

/** A `dedicated_server:{id}` entry: JSON `{"address","status"}`. */
export interface DedicatedServerInfo {
  address: string;
  status: string;
}

/** What `POST /session/create` answers on success. */
export interface GameSession {
  server_address: string;
  session_id: string;
}

export type AllocationFailure = "http_status" | "bad_reply" | "unreachable";

function serverInfoFrom(text: string): DedicatedServerInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { address, status } = value as Record<string, unknown>;
  return typeof address === "string" && typeof status === "string" ? { address, status } : null;
}

/**
 * The original's `DedicatedServerProvider::FindAvailableServer`: the first registered server that says it
 * is idle. Nothing claims it, so two allocations running at once can pick the same server.
 */
export class DedicatedServerProvider {
  constructor(
    private readonly redis: RedisPort,
    private readonly logger: Logger,
  ) {}

  async findAvailableServer(): Promise<Result<DedicatedServerInfo, string>> {
    let keys: string[];
    try {
      keys = await scanKeys(this.redis, DEDICATED_SERVER_PATTERN);
    } catch (error) {
      this.logger.log("warn", "dedicated_server_scan_failed", { error: String(error) });
      return err(`failed to scan dedicated servers: ${String(error)}`);
    }
    for (const key of keys) {
      let text: string;
      try {
        const reply = await this.redis.call("GET", key);
        if (typeof reply !== "string") throw new Error("not a string");
        text = reply;
      } catch (error) {
        this.logger.log("warn", "dedicated_server_unreadable", { key, error: String(error) });
        continue;
      }
      const info = serverInfoFrom(text);
      if (info === null) {
        this.logger.log("warn", "dedicated_server_unparseable", { key });
        continue;
      }
      if (info.status === "idle") {
        this.logger.log("info", "dedicated_server_found", { key, address: info.address });
        return ok(info);
      }
    }
    this.logger.log("warn", "no_idle_dedicated_server", { servers: keys.length });
    return err("all dedicated servers are busy");
  }
}

function gameSessionFrom(text: string): GameSession | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { server_address, session_id } = value as Record<string, unknown>;
  if (typeof server_address !== "string" || typeof session_id !== "string" || !isUuid(session_id)) return null;
  return { server_address, session_id: session_id.toLowerCase() };
}

/** `POST http://{address}/session/create` with `{"players":[...]}`; players must already be parsed ids. */
export async function createGameSession(
  http: HttpPort,
  address: string,
  players: readonly string[],
  timeoutMs: number,
): Promise<Result<GameSession, AllocationFailure>> {
  let response;
  try {
    response = await http.post(`http://${address}/session/create`, JSON.stringify({ players }), {
      timeoutMs,
      headers: { "content-type": "application/json" },
    });
  } catch {
    return err("unreachable");
  }
  if (response.status < 200 || response.status > 299) return err("http_status");
  const session = gameSessionFrom(response.body);
  return session === null ? err("bad_reply") : ok(session);
}

/** The dedicated-server program announces itself idle when it starts. */
export async function registerLegacyDedicatedServer(redis: RedisPort, id: string, address: string): Promise<void> {
  await redis.call("SET", dedicatedServerKey(id), JSON.stringify({ address, status: "idle" }));
}

/** The dedicated-server program marks itself busy when it creates a session. */
export async function markLegacyDedicatedServerBusy(redis: RedisPort, id: string, address: string): Promise<void> {
  await redis.call("SET", dedicatedServerKey(id), JSON.stringify({ address, status: "busy" }));
}
