import { err, isUuid, ok, parseServerMessage, type Result, type ServerMessage } from "../protocol/index.ts";
import { errorText, type FixedContext } from "./context.ts";
import { Keys } from "./keys.ts";
import { describe } from "./reply.ts";

/** A notification a script published for one connection; `close` asks the instance to close it after. */
export interface InboxPayload {
  conn: string;
  player: string;
  message: ServerMessage;
  close: boolean;
}

export function parseInboxPayload(text: string): Result<InboxPayload, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err("not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return err("not an object");
  const { conn, player, message, close } = value as Record<string, unknown>;
  if (typeof conn !== "string" || conn === "") return err("conn is not a string");
  if (typeof player !== "string" || !isUuid(player)) return err("player is not a UUID");
  if (close !== undefined && typeof close !== "boolean") return err("close is not a boolean");
  if (typeof message !== "object" || message === null || Array.isArray(message)) return err("message is not an object");
  const parsed = parseServerMessage(JSON.stringify(message));
  if (!parsed.ok) return err(`message: ${parsed.error.detail}`);
  return ok({ conn, player, message: parsed.value, close: close === true });
}

/** What `verify` publishes on the instance's own channel: no script ever publishes it, and it is dropped on arrival. */
const PROBE = "probe";

/** The instance's own channel; `deliver` says whether a live connection took the message. */
export class Inbox {
  private subscribed = false;

  constructor(
    private readonly ctx: FixedContext,
    private readonly deliver: (payload: InboxPayload) => boolean,
    /** The subscription was lost and restored: what was published meanwhile never arrived. */
    private readonly restored: () => void,
  ) {
    ctx.ports.redis.onResubscribed?.(() => this.restored());
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  async subscribe(): Promise<void> {
    if (this.subscribed) return;
    await this.ctx.ports.redis.subscribe(Keys.inbox(this.ctx.ports.instanceId), this.listener);
    this.subscribed = true;
  }

  /** One listener for every subscription made, so subscribing again never delivers a message twice. */
  private readonly listener = (_channel: string, message: string): void => this.receive(message);

  /**
   * Whether the subscription receives now: Redis counts the subscribers a probe reached. A subscription lost with
   * a Redis restart comes back with the client's reconnection, maybe after the commands' connection; until a
   * probe proves it back, the inbox counts as unsubscribed and enqueues are refused.
   */
  async verify(): Promise<boolean> {
    const receivers = await this.ctx.ports.redis.call("PUBLISH", Keys.inbox(this.ctx.ports.instanceId), PROBE);
    if (typeof receivers === "number" && receivers > 0) return true;
    this.subscribed = false;
    return false;
  }

  /** Runs inside the Redis client's callback, so nothing may escape it. */
  receive(text: string): void {
    const { logger, metrics } = this.ctx.ports;
    if (text === PROBE) return;
    try {
      const payload = parseInboxPayload(text);
      if (!payload.ok) {
        logger.log("warn", "notification_rejected", { detail: payload.error, payload: describe(text) });
        metrics.increment("rejected_inputs_total", { source: "inbox" });
        return;
      }
      if (!this.deliver(payload.value)) {
        logger.log("debug", "notification_dropped", { conn: payload.value.conn, player: payload.value.player });
        metrics.increment("notifications_dropped_total");
      }
    } catch (error) {
      logger.log("error", "handler_failed", { handler: "inbox", error: errorText(error) });
      metrics.increment("handler_errors_total", { handler: "inbox" });
    }
  }
}
