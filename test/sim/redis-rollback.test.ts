import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { FAULT_KINDS } from "../../sim/faults/registry.ts";
import type { Checker } from "../../sim/oracle/checker.ts";
import type { RedisRollback } from "../../sim/oracle/world-facts.ts";
import type { SimulatedRedis } from "../../sim/redis/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { optionsProblem } from "../../sim/scenario/validate.ts";
import { signaturesOf } from "../../sim/signature/signature.ts";
import type { FaultEvent, RedisEvent } from "../../sim/trace/events.ts";
import type { Trace, TraceStep } from "../../sim/trace/trace.ts";

const scenario = findScenario("redis-restart")!;
/** redis-restart's world with its restart a rollback, and nothing else striking. */
const options = { ...scenario.options, choices: {}, events: { ...scenario.options.events, redisRestarts: 0, redisOutages: 0, serverDeaths: 0, redisRollbacks: 1 } };
const spec = (seed: number) => ({ scenario: "redis-rollback", server: "fixed" as const, seed, strategy: "preempt" as const, options });

const faultStep = (trace: Trace, fault: string): TraceStep & { event: FaultEvent } => {
  const found = trace.steps.find((step) => step.event.kind === "fault" && step.event.fault === fault);
  if (!found) throw new Error(`no ${fault} step`);
  return found as TraceStep & { event: FaultEvent };
};

/** Every key with its contents, one text per step: Redis as each step left it. */
function contentsAfterEachStep(): { observe: (step: number, redis: SimulatedRedis) => void; after: string[] } {
  const after: string[] = [];
  return {
    observe: (step, redis) => {
      after[step] = JSON.stringify(redis.keys().map((key) => [key, redis.inspect(key)]));
    },
    after,
  };
}

/** A checker that judges nothing: it keeps what the world told the oracle of its rollbacks. */
function rollbacksSeen(into: RedisRollback[][]): Checker {
  return {
    name: "rollbacks-seen",
    meaning: "nothing: the test reads the world's facts",
    rank: 1_000,
    create: (run) => ({ atEnd: () => void into.push([...(run.options.world?.redisRollbacks() ?? [])]) }),
  };
}

describe("a Redis rollback in the simulation", () => {
  it("restores Redis as it was at the snapshot: writes after it lost, keys before it back with their values, and the world records it", async () => {
    for (let seed = 0; seed < 3; seed++) {
      const contents = contentsAfterEachStep();
      const facts: RedisRollback[][] = [];
      const trace = await runOnce({ ...spec(seed), observe: contents.observe, checkers: [rollbacksSeen(facts)] });
      const snapshot = faultStep(trace, "redis-snapshot");
      const rollback = faultStep(trace, "redis-rollback");
      expect(rollback.i, `seed ${seed}`).toBeGreaterThan(snapshot.i);
      expect(rollback.t - snapshot.t).toBe(Number(rollback.event.note.replace(" ms", "")));
      // The server wrote in between: presence renewals at least, which the rollback takes back.
      const between = trace.steps.slice(snapshot.i + 1, rollback.i);
      expect(between.some((step) => step.event.kind === "redis" && step.event.writes.length > 0 && step.event.outcome !== "lost-before")).toBe(true);
      expect(contents.after[rollback.i - 1]).not.toBe(contents.after[snapshot.i]);
      // No key of the fixed layout expires within seconds, so Redis is exactly as the snapshot saw it.
      expect(contents.after[rollback.i]).toBe(contents.after[snapshot.i]);
      expect(rollback.event.effect).toMatch(/later writes and every script lost; clients reconnect after \d+ ms/);
      expect(facts).toEqual([[{ at: rollback.t, savedAt: snapshot.t }]]);
      // As after a restart: the scripts are gone, so the clients' next EVALSHA meets NOSCRIPT.
      expect(trace.steps.some((step) => step.i > rollback.i && step.event.kind === "redis" && step.event.error?.startsWith("NOSCRIPT") === true)).toBe(true);
    }
  });

  it("is met on the fixed server by its first script, which wipes what was restored: a game the rollback forgot is no longer played again (seed 1)", async () => {
    for (const seed of [1, 2, 4]) {
      const contents = contentsAfterEachStep();
      const trace = await runOnce({ ...spec(seed), observe: contents.observe });
      const rollback = faultStep(trace, "redis-rollback");
      const first = trace.steps.find(
        (step): step is TraceStep & { event: RedisEvent } =>
          step.i > rollback.i && step.event.kind === "redis" && step.event.outcome !== "lost-before" && step.event.reads.length + step.event.writes.length > 0,
      );
      expect(first?.event.script, `seed ${seed}`).toMatch(/^fixed:/);
      // It read the whole keyspace (KEYS, to wipe it) and left nothing of what was restored.
      expect(first?.event.readsAll).toBe(true);
      const restored = (JSON.parse(contents.after[rollback.i] as string) as Array<[string]>).map(([key]) => key);
      const left = (JSON.parse(contents.after[first!.i] as string) as Array<[string]>).map(([key]) => key);
      expect(restored.length).toBeGreaterThan(5);
      expect(left.filter((key) => restored.includes(key) && key !== "{mm}:epoch" && !(first!.event.writes as readonly string[]).includes(key))).toEqual([]);
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
  });

  it("no longer breaks the fixed server on the seeds of the redis-rollback scenario that broke it before the epoch check", async () => {
    const rollbacks = findScenario("redis-rollback")!;
    for (const seed of [0, 3, 9, 23, 25, 30, 52, 147]) {
      const trace = await runOnce({ scenario: rollbacks.name, server: "fixed", seed, strategy: "preempt", options: rollbacks.options });
      expect(trace.steps.some((step) => step.event.kind === "fault" && step.event.fault === "redis-rollback"), `seed ${seed}`).toBe(true);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations.slice(0, 2))}`).toBe("pass");
    }
  });

  it("is the culprit of what is found at it: the signature names the rollback, not its snapshot", async () => {
    const atRollback: Checker = {
      name: "at-rollback",
      meaning: "nothing is found while Redis holds what a rollback restored (a test's stand-in for a checker it breaks)",
      rank: 1_000,
      create: (run) => ({
        afterStep(point) {
          if (run.observed.redisRestored()) run.report(point, "restored", { message: "Redis holds what the rollback restored", players: [], keys: [] });
        },
      }),
    };
    const trace = await runOnce({ ...spec(1), checkers: [atRollback] });
    const found = trace.violations.filter((violation) => violation.invariant === "at-rollback");
    expect(found.map((violation) => violation.step)).toEqual([faultStep(trace, "redis-rollback").i]);
    expect(signaturesOf(trace).find((signature) => signature.invariant === "at-rollback")?.summary).toMatch(/^after world > fault redis-rollback: at-rollback/);
  });

  it("is deterministic: the same seed gives a byte-identical trace, and its decisions replay it", async () => {
    const first = await runOnce(spec(7));
    const second = await runOnce(spec(7));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    const replayed = await runOnce({ ...spec(7), decisions: first.decisions });
    expect(replayed.hash).toBe(first.hash);
  });

  it("is planned only when asked for: a world without it has neither snapshot nor rollback", async () => {
    const trace = await runOnce({ scenario: scenario.name, server: "fixed", seed: 0, strategy: "preempt", options: scenario.options });
    expect(trace.steps.some((step) => step.event.kind === "fault" && (step.event.fault === "redis-snapshot" || step.event.fault === "redis-rollback"))).toBe(false);
  });

  it("is counted like every other event: a whole number, shrunk to none and then to one fewer", () => {
    expect(optionsProblem(options)).toBeNull();
    expect(optionsProblem({ ...options, events: { ...options.events, redisRollbacks: -1 } })).toMatch(/redisRollbacks/);
    expect(optionsProblem({ ...options, events: { ...options.events, redisRollbacks: 1.5 } })).toMatch(/redisRollbacks/);
    const kind = FAULT_KINDS.find((each) => each.name === "redis-rollback")!;
    const two = { ...options, events: { ...options.events, redisRollbacks: 2 } };
    expect(kind.smaller(two).map((world) => world.events.redisRollbacks)).toEqual([0, 1]);
    expect(kind.smaller(scenario.options)).toEqual([]);
    expect(kind.losesInstances(options)).toBe(true);
    expect(kind.losesInstances(scenario.options)).toBe(false);
  });
});
