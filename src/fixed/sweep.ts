import { rejectReply, type FixedContext } from "./context.ts";
import { Keys } from "./keys.ts";
import { parseExpiry, parseReaped, parseServerReap } from "./session.ts";

/** Due sessions one sweep ends; the index is sorted, so the rest wait for the next sweep. */
const EXPIRY_LIMIT = 100;
const REAP_LIMIT = 100;

/**
 * Ends sessions past their deadline, then removes the players of instances whose presence lapsed, then the
 * dedicated servers whose registration lapsed.
 */
export async function runSweep(ctx: FixedContext): Promise<void> {
  const { ports, scripts } = ctx;
  const expiry = parseExpiry(await scripts.run("expire_due", Keys.deadlines, [EXPIRY_LIMIT]));
  if (!expiry.ok) rejectReply(ctx, expiry.error);
  else {
    const { expired, requeued, removed, corrupt } = expiry.value;
    for (let i = 0; i < expired; i++) ports.metrics.increment("sessions_expired_total");
    if (corrupt > 0) rejectReply(ctx, `${corrupt} due session(s) were unreadable`);
    if (expired > 0 || corrupt > 0) ports.logger.log("info", "sessions_expired", { expired, requeued, removed, corrupt });
  }
  const reaped = parseReaped(await scripts.run("reap_instances", Keys.instances, [REAP_LIMIT, ports.instanceId]));
  if (!reaped.ok) rejectReply(ctx, reaped.error);
  else if (reaped.value.length > 0) ports.logger.log("warn", "instances_reaped", { instances: reaped.value });
  const servers = parseServerReap(await scripts.run("reap_servers", Keys.liveServers, [REAP_LIMIT]));
  if (!servers.ok) rejectReply(ctx, servers.error);
  else if (servers.value.servers.length > 0) {
    ports.metrics.increment("dedicated_servers_reaped_total", {}, servers.value.servers.length);
    ports.logger.log("warn", "dedicated_servers_reaped", { servers: servers.value.servers, rolled_back: servers.value.rolledBack });
  }
}
