import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { huntWithFcScheduler, runOnce } from "../../bench/fc-scheduler/index.ts";
import { FifoGate } from "../../bench/fc-scheduler/fifo-gate.ts";
import { MockRedisServer, ScheduledMockRedis } from "../../bench/fc-scheduler/mock-redis.ts";
import { withVirtualDateNow } from "../../bench/fc-scheduler/virtual-date-now.ts";
import { LOADING_COMPLETE_SCRIPT } from "../../src/legacy/scripts.ts";

describe("fc.scheduler benchmark", () => {
  it("finds the malformed-input crash with fast-check's scheduler on ioredis-mock", async () => {
    const hunt = await huntWithFcScheduler("malformed-input", { firstSeed: 0, maxSeeds: 3 });
    expect(hunt.seeds).not.toBeNull();
    expect(hunt.failure?.violation.invariant).toBe("no-crash");
    expect(hunt.failure?.violation.message).toContain('invalid UUID "player-1"');
  });

  it("expires ioredis-mock's keys by the run's virtual clock, not the real one", async () => {
    const server = new MockRedisServer();
    const connection = server.connect();
    let now = 1_700_000_000_000;
    const [during, after] = await withVirtualDateNow(
      () => now,
      async () => {
        await connection.set("lock", "token", "PX", 10_000);
        now += 9_999;
        const during = await connection.get("lock");
        now += 2;
        return [during, await connection.get("lock")];
      },
    );
    await server.close();
    expect(during).toBe("token");
    expect(after).toBeNull();
  });

  it("finds the stale-sweep ghost from a race setup, the same way from the same seed", async () => {
    const first = await runOnce("stale-sweep", "race", 0);
    const again = await runOnce("stale-sweep", "race", 0);
    expect(first.violation?.invariant).toBe("no-lost-player");
    expect(first.violation?.message).toMatch(/quits-before-match\) is disconnected but still held in queue:Normal_1v1/);
    expect(again.run?.steps).toBe(first.run?.steps);
    expect(again.violation).toEqual(first.violation);
  });

  it("offers one connection's commands to the scheduler in order, and reads scripts' list replies back from ioredis-mock", async () => {
    const [scheduler] = fc.sample(fc.scheduler(), { seed: 1, numRuns: 1 });
    if (!scheduler) throw new Error("no scheduler sampled");
    const gate = new FifoGate(scheduler);
    const server = new MockRedisServer();
    const redis = new ScheduledMockRedis(server, gate, "test");
    try {
      const created = redis.call("HSET", "loading:s", "p1", "loading", "game_mode", "Normal_1v1", "status", "loading");
      const ready = redis.runScript(LOADING_COMPLETE_SCRIPT, ["loading:s"], ["p1"]);
      const read = redis.call("HGETALL", "loading:s");
      expect(gate.pending()).toBe(1);
      await scheduler.waitIdle();
      expect(await created).toBe(3);
      expect(await ready).toEqual(["Normal_1v1", "p1"]);
      expect(await read).toEqual([]);
      expect(gate.steps).toBe(3);
    } finally {
      await server.close();
    }
  });
});
