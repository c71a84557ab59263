import type { Logger, Metrics, RedisPort } from "../ports/index.ts";
import { encodeServerMessage, parseServerMessage, type ServerMessage } from "../protocol/index.ts";
import { NOTIFICATION_PATTERN, NOTIFICATION_PREFIX, notificationChannel } from "./keys.ts";

/** Where the notifier hands a player's message: the connection that registered for that player. */
export interface NotificationTarget {
  deliver(message: ServerMessage): void;
}

/** Any handler on any instance reaches a player by publishing on the player's channel. */
export async function publishToPlayer(
  redis: RedisPort,
  logger: Logger,
  player: string,
  message: ServerMessage,
): Promise<void> {
  const channel = notificationChannel(player);
  try {
    await redis.call("PUBLISH", channel, encodeServerMessage(message));
  } catch (error) {
    logger.log("warn", "publish_failed", { channel, error: String(error) });
  }
}

/**
 * The original's `RedisSubscriber` + `SubscriptionManager`: one pattern subscription per instance and a
 * map from player id to the connection registered on this instance. A later registration for the same
 * player replaces the earlier one, and deregistering removes whatever is registered under the id.
 */
export class Notifier {
  private readonly targets = new Map<string, NotificationTarget>();

  constructor(
    private readonly redis: RedisPort,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  async start(): Promise<void> {
    await this.redis.psubscribe(NOTIFICATION_PATTERN, (channel, message) => this.forward(channel, message));
  }

  register(player: string, target: NotificationTarget): void {
    this.targets.set(player, target);
  }

  deregister(player: string): void {
    this.targets.delete(player);
  }

  private forward(channel: string, payload: string): void {
    if (!channel.startsWith(NOTIFICATION_PREFIX)) return;
    const player = channel.slice(NOTIFICATION_PREFIX.length);
    const message = parseServerMessage(payload);
    if (!message.ok) {
      this.logger.log("warn", "notification_unparseable", { player, kind: message.error.kind });
      return;
    }
    const target = this.targets.get(player);
    if (target === undefined) {
      this.logger.log("debug", "notification_dropped", { player, type: message.value.type });
      this.metrics.increment("notifications_dropped_total");
      return;
    }
    target.deliver(message.value);
  }
}
