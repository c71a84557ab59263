import { errorText, rejectReply, type FixedContext } from "./context.ts";
import { Keys } from "./keys.ts";
import { parsePresence } from "./session.ts";

/**
 * This instance's liveness in `{mm}:instances`. Until a fresh registration succeeded the instance refuses
 * enqueues, so a fresh registration (which purges a previous incarnation's records) never removes a record
 * of this one. A renewal refused as `fenced` means the instance was declared dead while paused, or Redis lost its
 * data: its records are gone, so every connection is closed and the server registers afresh.
 */
export class Presence {
  private registered = false;

  constructor(
    private readonly ctx: FixedContext,
    private readonly onFenced: () => void,
  ) {}

  get isRegistered(): boolean {
    return this.registered;
  }

  async renew(): Promise<void> {
    const { ports, scripts, config } = this.ctx;
    const fresh = !this.registered;
    const outcome = parsePresence(
      await scripts.run("register_instance", Keys.instances, [ports.instanceId, config.instanceTtlMs, fresh ? "1" : "0"]),
    );
    if (!outcome.ok) {
      rejectReply(this.ctx, outcome.error);
      return;
    }
    if (outcome.value.kind === "ok") {
      this.registered = true;
      if (outcome.value.purged > 0) {
        ports.logger.log("warn", "previous_incarnation_purged", { players: outcome.value.purged });
      }
      return;
    }
    this.fenced();
  }

  /** Also called when a script refuses this instance as unregistered. */
  fenced(): void {
    const wasRegistered = this.registered;
    this.registered = false;
    if (!wasRegistered) return;
    this.ctx.ports.logger.log("error", "instance_fenced", { instance: this.ctx.ports.instanceId });
    try {
      this.onFenced();
    } catch (error) {
      this.ctx.ports.logger.log("error", "fence_close_failed", { error: errorText(error) });
    }
  }
}
