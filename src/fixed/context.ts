import type { MatchConfig } from "../config/config.ts";
import type { LogFields, Ports } from "../ports/index.ts";
import type { ScriptRunner } from "./scripts.ts";

/** What every part of one fixed instance shares. */
export interface FixedContext {
  readonly config: MatchConfig;
  readonly ports: Ports;
  readonly scripts: ScriptRunner;
}

export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "unprintable error";
  }
}

/** Bad data read from Redis (a foreign writer, a version skew): logged and counted, then skipped. */
export function rejectReply(ctx: FixedContext, detail: string, fields: LogFields = {}): void {
  ctx.ports.logger.log("warn", "redis_reply_rejected", { ...fields, detail });
  ctx.ports.metrics.increment("rejected_inputs_total", { source: "redis" });
}

/**
 * Spawns a handler through the supervisor with nothing left to escape: an error is logged, counted, and
 * `failed` (telling a waiting client, scheduling a retry) runs; `failed` itself cannot throw out either.
 */
export function spawnGuarded(
  ctx: FixedContext,
  handler: string,
  work: () => Promise<void>,
  failed?: (error: unknown) => void,
): void {
  ctx.ports.supervisor.spawn(handler, () => guarded(ctx, handler, work, failed));
}

export async function guarded(
  ctx: FixedContext,
  handler: string,
  work: () => Promise<void>,
  failed?: (error: unknown) => void,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    ctx.ports.logger.log("error", "handler_failed", { handler, error: errorText(error) });
    ctx.ports.metrics.increment("handler_errors_total", { handler });
    try {
      failed?.(error);
    } catch (secondary) {
      ctx.ports.logger.log("error", "handler_recovery_failed", { handler, error: errorText(secondary) });
    }
  }
}
