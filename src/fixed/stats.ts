import type { RedisPort } from "../ports/index.ts";
import { Keys } from "./keys.ts";
import { SCRIPTS } from "./scripts.ts";
import { parseStats, type Stats } from "./session.ts";

/** The operator's counts for one instance (players of its connections) and for the whole layout. */
export async function readStats(redis: RedisPort, instanceId: string): Promise<Stats> {
  const outcome = parseStats(await redis.runScript(SCRIPTS.stats, [Keys.instances], [instanceId]));
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}
