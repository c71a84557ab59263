import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { FAULT_KINDS } from "../../sim/faults/registry.ts";
import { INVARIANTS, meaningOf } from "../../sim/oracle/invariants.ts";
import { CHECKERS } from "../../sim/oracle/registry.ts";
import { createSimulatedRedis } from "../../sim/redis/index.ts";
import { fewerFaults } from "../../sim/shrink/reductions.ts";
import { readOnly } from "../../sim/world/read-only-redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const modulesIn = (folder: string) => readdirSync(join(ROOT, folder)).filter((file) => file.endsWith(".ts")).length;

describe("registries that are folders", () => {
  it("every file under sim/oracle/checkers/ is an invariant, checked in rank order", () => {
    expect(CHECKERS).toHaveLength(modulesIn("sim/oracle/checkers"));
    expect(INVARIANTS).toEqual([
      "no-double-match",
      "session-size",
      "no-lost-player",
      "told-before-placed-again",
      "no-orphaned-session",
      "ready-respected",
      "ready-from-owner",
      "queue-order",
      "prompt-answers",
      "single-allocation",
      "claims-live-servers",
      "failed-requests-stay-failed",
      "one-game-per-call",
      "announced-games",
      "unreachable-servers-rested",
      "servers-released",
      "dead-servers-reaped",
      "operator-stats",
      "no-crash",
      "eventual-match",
    ]);
    for (const checker of CHECKERS) expect(meaningOf(checker.name)).toBe(checker.meaning);
    expect(meaningOf("nobody-knows-this")).toBe("an invariant of the scenario's own");
  });

  it("every file under sim/faults/kinds/ is a fault kind, and the shrinker asks each one for smaller worlds", () => {
    expect(FAULT_KINDS).toHaveLength(modulesIn("sim/faults/kinds"));
    const swarm = findScenario("swarm")!.options;
    const smaller = fewerFaults(swarm);
    for (const kind of FAULT_KINDS) for (const world of kind.smaller(swarm)) expect(smaller).toContainEqual(world);
    const fewerCrashes = FAULT_KINDS.find((kind) => kind.name === "crash")!.smaller(swarm);
    expect(fewerCrashes.map((world) => [world.events.crashes, world.choices?.crash])).toEqual([
      [0, swarm.choices?.crash],
      [1, 0],
    ]);
    expect(FAULT_KINDS.find((kind) => kind.name === "pause")!.stallMs(swarm)).toBeGreaterThan(0);
    expect(FAULT_KINDS.find((kind) => kind.name === "pause")!.stallMs(findScenario("happy-path")!.options)).toBe(0);
  });
});

describe("what a checker may read of Redis", () => {
  it("lists keys by pattern, as KEYS matches them", () => {
    const redis = createSimulatedRedis({ now: () => 0, random: () => 0.5 });
    for (const key of ["loading:a", "loading:b", "queue:x", "lock:loading:a"]) redis.execute("SET", [key, "1"]);
    const view = readOnly(redis);
    expect(view.keys("loading:*")).toEqual(["loading:a", "loading:b"]);
    expect(view.keys()).toEqual(["loading:a", "loading:b", "lock:loading:a", "queue:x"]);
    expect(view.inspect("queue:x")).toEqual({ type: "string", value: "1" });
  });
});
