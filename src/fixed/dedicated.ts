import type { RedisPort } from "../ports/index.ts";
import { Keys } from "./keys.ts";
import { SCRIPTS } from "./scripts.ts";
import { parseServerRegistration, parseServerRelease, type ServerRelease } from "./session.ts";

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

/**
 * A game the dedicated server hosted is over: the server goes back to idle if it is still busy with that game
 * (`released`). `pending`: still claimed, the commit that would make it busy with this game may not have
 * landed yet, so the caller asks again later. `stale`: the server is idle or hosts another game; nothing to do.
 */
export async function finishFixedGame(redis: RedisPort, id: string, gameSession: string): Promise<ServerRelease> {
  const outcome = parseServerRelease(await redis.runScript(SCRIPTS.release_server, [Keys.server(id)], [id, gameSession]));
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}
