import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { runIdIn } from "../../sim/redis/conformance/compare.ts";
import { createSimulatedRedis } from "../../sim/redis/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { FaultEvent } from "../../sim/trace/events.ts";
import { simRedis, T0 } from "./harness.ts";

describe("INFO on the simulated Redis", () => {
  it("answers the server section in Redis's format, with a run_id, from a client and from a script", () => {
    const { run, advance } = simRedis();
    advance(90_500);
    const info = run("INFO", "server") as string;
    expect(info).toMatch(/^# Server\r\n(?:[a-z_]+:[^\r\n]*\r\n)+$/);
    expect(info).toContain("\r\nredis_version:7.0.15\r\n");
    expect(info).toContain(`\r\nserver_time_usec:${(T0 + 90_500) * 1000}\r\n`);
    expect(info).toContain("\r\nuptime_in_seconds:90\r\n");
    expect(runIdIn(info)).toMatch(/^[0-9a-f]{40}$/);
    expect(run("INFO")).toBe(info);
    expect(run("info", "SERVER")).toBe(info);
    expect(run("EVAL", "return string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')", 0)).toBe(runIdIn(info));
  });

  it("answers nothing for a section Redis does not have, and refuses one it has that is not modelled", () => {
    const { run, error } = simRedis();
    expect(run("INFO", "nosuch")).toBe("");
    expect(error("INFO", "memory")).toMatch(/does not model INFO's memory section/);
    expect(error("INFO", "server", "replication")).toMatch(/replication/);
  });

  it("changes its run_id when the process restarts, and only then: not on FLUSHALL nor SCRIPT FLUSH", () => {
    const { engine, run, error } = simRedis();
    const first = runIdIn(run("INFO", "server"));
    const sha = run("SCRIPT", "LOAD", "return 1");
    run("SET", "k", "v");
    run("FLUSHALL");
    run("SCRIPT", "FLUSH");
    expect(runIdIn(run("INFO", "server"))).toBe(first);
    run("SCRIPT", "LOAD", "return 1");
    run("SET", "k", "v");
    engine.restart();
    const second = runIdIn(run("INFO", "server"));
    expect(second).not.toBe(first);
    // A restart forgets the scripts; the keyspace is the caller's (here kept, as a restart from a fresh snapshot).
    expect(error("EVALSHA", sha as string, 0)).toMatch(/^NOSCRIPT/);
    expect(run("GET", "k")).toBe("v");
    expect(run("INFO", "server")).toContain("\r\nuptime_in_seconds:0\r\n");
    engine.restart();
    expect([first, second]).not.toContain(runIdIn(run("INFO", "server")));
  });

  it("draws its run_ids deterministically: two engines restarted alike name the same processes", () => {
    const ids = () => {
      const { engine, run } = simRedis("any seed");
      const seen = [runIdIn(run("INFO"))];
      for (let i = 0; i < 3; i++) {
        engine.restart();
        seen.push(runIdIn(run("INFO")));
      }
      return seen;
    };
    expect(ids()).toEqual(ids());
    expect(new Set(ids()).size).toBe(4);
  });

  it("draws them from its run_id seed: an engine seeded apart (the conformance suite's) names none of the simulation's processes", () => {
    const ids = (runIdSeed?: string) => {
      const engine = createSimulatedRedis({ now: () => T0, random: () => 0.5, ...(runIdSeed === undefined ? {} : { runIdSeed }) });
      const seen = [runIdIn(engine.execute("INFO", []))];
      for (let i = 0; i < 20; i++) {
        engine.restart();
        seen.push(runIdIn(engine.execute("INFO", [])));
      }
      return seen;
    };
    expect(ids()).toEqual(ids());
    expect(ids("conformance")).toEqual(ids("conformance"));
    expect(ids("conformance").filter((id) => ids().includes(id))).toEqual([]);
  });
});

describe("the world's Redis process", () => {
  const scenario = findScenario("redis-restart")!;

  it("is another after a restart or a rollback, and the same after an outage", async () => {
    for (const [fault, events] of [
      ["redis-restart", { redisRestarts: 1, redisOutages: 0, redisRollbacks: 0 }],
      ["redis-rollback", { redisRestarts: 0, redisOutages: 0, redisRollbacks: 1 }],
      ["redis-outage", { redisRestarts: 0, redisOutages: 1, redisRollbacks: 0 }],
    ] as const) {
      const runIds: Array<string | null> = [];
      const trace = await runOnce({
        scenario: scenario.name,
        server: "fixed",
        seed: 3,
        strategy: "preempt",
        options: { ...scenario.options, choices: {}, events: { ...scenario.options.events, serverDeaths: 0, ...events } },
        observe: (step, redis) => void (runIds[step] = runIdIn(redis.execute("INFO", ["server"]))),
      });
      const struck = trace.steps.filter((step) => step.event.kind === "fault" && (step.event as FaultEvent).fault === fault);
      expect(struck, fault).toHaveLength(1);
      const at = struck[0]!.i;
      expect(new Set(runIds.slice(0, at)).size, fault).toBe(1);
      expect(new Set(runIds.slice(at)).size, fault).toBe(1);
      expect(runIds[at] !== runIds[at - 1], fault).toBe(fault !== "redis-outage");
    }
  });
});
