import fc from "fast-check";
import seedrandom from "seedrandom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulatedRedis } from "../../sim/redis/index.ts";
import { describeMismatch, executeOnSim, runSequence, sequenceArbitrary, type Command } from "../../sim/redis/conformance/index.ts";
import { IoredisClient } from "../../sim/redis/conformance/real-client.ts";
import { SERVER_SCRIPT_CASES } from "../../sim/redis/conformance/script-cases/index.ts";
import { runReplayPart, runScriptsPart } from "../../sim/redis/conformance/suite.ts";
import { findScenario } from "../../scenarios/index.ts";
import { SCRIPTS as FIXED_SCRIPTS } from "../../src/fixed/scripts.ts";
import { LOADING_COMPLETE_SCRIPT, MATCH_SCRIPT, RELEASE_LOCK_SCRIPT } from "../../src/legacy/scripts.ts";
import { redisServerPath, startRealRedis, type RealRedis as RealServer } from "../support/redis-server.ts";

const available = redisServerPath() !== null || process.env.REDIS_URL !== undefined;
const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 150);

if (!available) {
  console.warn("redis conformance skipped: redis-server not found (apt-get install -y redis-server, or set REDIS_URL)");
}

/** A small run of the conformance suite; `npm run conformance` is the big one. */
describe.skipIf(!available)("simulated Redis vs real Redis 7", () => {
  let server: RealServer;
  let real: IoredisClient;

  beforeAll(async () => {
    server = await startRealRedis();
    real = await IoredisClient.connect(server.url);
  });

  afterAll(async () => {
    real?.disconnect();
    await server?.stop();
  });

  const freshEngine = () => createSimulatedRedis({ now: () => Date.now(), random: seedrandom("conformance") });

  it(`agrees on ${RUNS} random command sequences`, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(sequenceArbitrary(Number(process.env.CONFORMANCE_LENGTH ?? 25)), async (commands) => {
        await real.reset();
        const mismatch = await runSequence(freshEngine(), real, commands);
        compared += mismatch === null ? commands.length : mismatch.index;
        if (mismatch !== null) throw new Error(describeMismatch(commands, mismatch));
      }),
      { numRuns: RUNS, ...(process.env.CONFORMANCE_SEED ? { seed: Number(process.env.CONFORMANCE_SEED) } : {}) },
    );
    expect(compared).toBeGreaterThan(RUNS);
  }, 120_000);

  it("compiles every server script as Redis does (same sha, same outcome)", async () => {
    const engine = freshEngine();
    const scripts = [...Object.values(FIXED_SCRIPTS), MATCH_SCRIPT, LOADING_COMPLETE_SCRIPT, RELEASE_LOCK_SCRIPT];
    for (const script of scripts) {
      const load: Command = { name: "SCRIPT", args: ["LOAD", script.source] };
      expect(executeOnSim(engine, load), script.name).toEqual(await real.execute(load));
    }
  });

  it("agrees on EVALSHA / SCRIPT and on a script's errors with its sha in the text", async () => {
    await real.reset();
    const engine = freshEngine();
    const body = "return redis.call('INCR', KEYS[1])";
    const commands: Command[] = [
      { name: "SCRIPT", args: ["LOAD", body] },
      { name: "EVALSHA", args: ["5b4d4e1ef6a1b8e1a1b6e8f5d9a1c2b3d4e5f6a7", "0"] },
      { name: "SCRIPT", args: ["EXISTS", "5b4d4e1ef6a1b8e1a1b6e8f5d9a1c2b3d4e5f6a7"] },
      { name: "SET", args: ["k", "abc"] },
      { name: "EVAL", args: [body, "1", "k"] },
      { name: "SCRIPT", args: ["FLUSH"] },
      { name: "SCRIPT", args: ["BOGUS"] },
      { name: "SCRIPT", args: ["FLUSH", "NOW"] },
    ];
    const mismatch = await runSequence(engine, real, commands);
    expect(mismatch && describeMismatch(commands, mismatch)).toBeNull();
    const sha = executeOnSim(engine, { name: "SCRIPT", args: ["LOAD", body] });
    expect(sha).toEqual(await real.execute({ name: "SCRIPT", args: ["LOAD", body] }));
  });

  it("agrees on every server script over random pre-states and inputs, data included", async () => {
    const result = await runScriptsPart({ real, seed: 7, timestampToleranceMs: 1_000 }, 4);
    expect(result.mismatches).toEqual([]);
    expect([...result.scripts.keys()]).toEqual(SERVER_SCRIPT_CASES.map(({ script }) => script.name));
    expect(result.dumps).toBe(SERVER_SCRIPT_CASES.length * 4);
  }, 60_000);

  // A restart replays as FLUSHALL and SCRIPT FLUSH, a rollback as FLUSHALL and the snapshot's load commands, which
  // write back the run's old `{mm}:epoch`: the fixed server's next script must wipe on both sides, as it did in the run.
  it("agrees on the replayed commands of runs whose Redis restarts and rolls back, data included", async () => {
    const scenarios = ["redis-restart", "redis-rollback"].map((name) => findScenario(name)!);
    for (const seed of [1, 2, 3]) {
      const result = await runReplayPart({ real, seed, timestampToleranceMs: 1_000 }, 3_000, scenarios);
      expect(result.mismatches, `seed ${seed}`).toEqual([]);
      expect(result.dumps).toBe(4);
    }
  }, 60_000);
});
