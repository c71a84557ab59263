import type { GaugeReading, ScrapedGauge } from "../adapters/prom-metrics.ts";
import type { MatchConfig } from "../config/config.ts";
import { readStats, type Stats } from "../fixed/index.ts";
import type { RedisPort } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";
import { within } from "./cli.ts";
import { queueSizeReader } from "./queue-sizes.ts";
import { REDIS_READ_LIMIT_MS, redisAnswers } from "./redis-health.ts";

export const MATCH_SERVER_GAUGES: readonly ScrapedGauge[] = [
  { name: "open_connections", help: "Client WebSocket connections open on this instance.", labels: [] },
  { name: "redis_up", help: "1 when Redis answered a PING at scrape time, else 0.", labels: [] },
  { name: "queue_size", help: "Players waiting in each game mode's queue, read from Redis at scrape time.", labels: ["mode"] },
  { name: "players", help: "fixed: players whose record a connection of this instance owns, by state.", labels: ["state"] },
  { name: "sessions", help: "fixed: live loading sessions, by status.", labels: ["status"] },
  {
    name: "dedicated_servers",
    help: "fixed: dedicated servers whose registration is live or expired (not reaped yet), and the live ones by status.",
    labels: ["status"],
  },
  { name: "live_instances", help: "fixed: match server instances whose presence is current.", labels: [] },
];

/** The fixed layout's counts, or null when Redis cannot give them in time (the caller reports why). */
export async function fixedStats(redis: RedisPort, instanceId: string): Promise<Stats | null> {
  return within(REDIS_READ_LIMIT_MS, readStats(redis, instanceId), null);
}

function byLabel(label: string, counts: Record<string, number>) {
  return Object.entries(counts).map(([value, count]) => ({ labels: { [label]: value }, value: count }));
}

/**
 * What a scrape reads: this process's own connections, then Redis if it answers. With Redis away only
 * `redis_up` (0) and `open_connections` are reported: a stale count would look like a live one.
 */
export function matchServerReading(
  variant: Variant,
  config: MatchConfig,
  redis: RedisPort,
  instanceId: string,
  openConnections: () => number,
  readFailed: (error: unknown) => void,
): () => Promise<GaugeReading> {
  const queueSizes = queueSizeReader(variant, config, redis);
  return async () => {
    const reading: Record<string, GaugeReading[string]> = { open_connections: [{ value: openConnections() }] };
    const up = await redisAnswers(redis);
    reading.redis_up = [{ value: up ? 1 : 0 }];
    if (!up) return reading;
    try {
      const sizes = await within(REDIS_READ_LIMIT_MS, queueSizes(), null);
      if (sizes) reading.queue_size = byLabel("mode", sizes);
      if (variant === "fixed") {
        const stats = await fixedStats(redis, instanceId);
        if (stats) {
          reading.players = byLabel("state", stats.players);
          reading.sessions = byLabel("status", stats.sessions);
          reading.dedicated_servers = byLabel("status", stats.servers);
          reading.live_instances = [{ value: stats.instances }];
        }
      }
    } catch (error) {
      readFailed(error);
    }
    return reading;
  };
}
