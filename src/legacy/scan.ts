import type { RedisPort } from "../ports/index.ts";

/** How many keys one SCAN round asks for; the loop runs until the cursor comes back "0". */
export const SCAN_COUNT = 100;

/**
 * Every key matching `pattern`, collected before use as the original's `scan_match` stream was. Not a
 * snapshot: keys written meanwhile may be missed and a key may come back twice, as with real SCAN.
 */
export async function scanKeys(redis: RedisPort, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const reply = await redis.call("SCAN", cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
      throw new Error(`unexpected SCAN reply: ${JSON.stringify(reply)}`);
    }
    cursor = String(reply[0]);
    for (const key of reply[1]) keys.push(String(key));
  } while (cursor !== "0");
  return keys;
}
