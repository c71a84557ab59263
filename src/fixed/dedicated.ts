import type { RedisPort } from "../ports/index.ts";
import { Keys } from "./keys.ts";
import { SCRIPTS } from "./scripts.ts";
import { parseServerRegistration } from "./session.ts";

/**
 * A dedicated server's registration in the fixed layout, called by the dedicated-server program at start:
 * idle and in the pool, unless it is claimed or busy (a restart must not free a server a session holds).
 * Rejects on a Redis error or an unreadable reply: the caller is a process entry point that may retry.
 */
export async function registerFixedDedicatedServer(
  redis: RedisPort,
  id: string,
  address: string,
): Promise<void> {
  const outcome = parseServerRegistration(await redis.runScript(SCRIPTS.register_server, [Keys.server(id)], [id, address]));
  if (!outcome.ok) throw new Error(outcome.error);
}
