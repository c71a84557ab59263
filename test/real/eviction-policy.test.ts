import { describe, expect, it } from "vitest";
import type { RedisArg, RedisReply } from "../../src/ports/index.ts";
import { evictionProblem } from "../../src/bin/startup.ts";

/** A Redis that answers CONFIG GET with `reply`, or refuses it with `refusal`. */
function redisAnswering(reply: RedisReply | undefined, refusal?: string) {
  return {
    call: async (command: string, ...args: RedisArg[]): Promise<RedisReply> => {
      expect([command, ...args]).toEqual(["CONFIG", "GET", "maxmemory-policy"]);
      if (refusal) throw new Error(refusal);
      return reply ?? null;
    },
  };
}

describe("the start-up check of Redis's eviction policy", () => {
  const url = "redis://127.0.0.1:6379";

  it("passes noeviction and refuses every evicting policy, volatile ones too", async () => {
    const told: string[] = [];
    expect(await evictionProblem(redisAnswering(["maxmemory-policy", "noeviction"]), url, (reason) => told.push(reason))).toBeNull();
    for (const policy of ["allkeys-lru", "volatile-ttl", "allkeys-random"]) {
      expect(await evictionProblem(redisAnswering(["maxmemory-policy", policy]), url, (reason) => told.push(reason))).toBe(
        `Redis at ${url} evicts keys (maxmemory-policy ${policy}), which would lose players and sessions: set maxmemory-policy noeviction`,
      );
    }
    expect(told).toEqual([]);
  });

  it("lets a Redis that hides CONFIG through, saying why the policy is unknown", async () => {
    const told: string[] = [];
    expect(await evictionProblem(redisAnswering(undefined, "ERR unknown command 'CONFIG'"), url, (reason) => told.push(reason))).toBeNull();
    expect(await evictionProblem(redisAnswering([]), url, (reason) => told.push(reason))).toBeNull();
    expect(told).toEqual(["ERR unknown command 'CONFIG'", "unexpected reply to CONFIG GET: []"]);
  });
});
