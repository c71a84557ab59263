import type { RedisPort } from "../ports/index.ts";
import { Keys } from "./keys.ts";
import { SCRIPTS } from "./scripts.ts";
import { parseServerRegistration, parseServerRelease, type ServerRegistration, type ServerRelease } from "./session.ts";

async function runRegistration(redis: RedisPort, id: string, address: string, ttlMs: number, fresh: boolean): Promise<ServerRegistration> {
  const reply = await redis.runScript(SCRIPTS.register_server, [Keys.server(id)], [id, address, ttlMs, fresh ? "1" : "0"]);
  const outcome = parseServerRegistration(reply);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

/**
 * A dedicated server's fresh registration in the fixed layout (at its start, or once it found its registration
 * gone): idle and in the pool for `ttlMs`; an allocation that held it claimed is ended. Rejects on a Redis error or an
 * unreadable reply: the caller retries on its next heartbeat.
 */
export async function registerFixedDedicatedServer(redis: RedisPort, id: string, address: string, ttlMs: number): Promise<void> {
  await runRegistration(redis, id, address, ttlMs, true);
}

/** The heartbeat: renews the registration for `ttlMs`; false when it is gone (reaped, or Redis lost its data). */
export async function renewFixedDedicatedServer(redis: RedisPort, id: string, address: string, ttlMs: number): Promise<boolean> {
  return (await runRegistration(redis, id, address, ttlMs, false)).kind !== "fenced";
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
