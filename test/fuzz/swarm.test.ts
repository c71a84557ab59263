import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../support/scratch-dir.ts";
import { BEHAVIOURS } from "../../sim/players/behaviour.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { drawSwarmWorld, SWARM_WORLD } from "../../sim/scenario/swarm-world.ts";
import { optionsProblem } from "../../sim/scenario/validate.ts";

const ROOT = join(import.meta.dirname, "../..");

function sim(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/sim.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop() ?? "null");

describe("swarm worlds", () => {
  const worlds = Array.from({ length: 300 }, (_, seed) => drawSwarmWorld(seed));

  it("are the seed's own: the same seed draws the same world, and every world is valid", () => {
    expect(drawSwarmWorld(17)).toEqual(drawSwarmWorld(17));
    for (const world of worlds) expect(optionsProblem(world)).toBeNull();
  });

  it("vary every part of the world's shape from seed to seed", () => {
    const seen = (part: (world: (typeof worlds)[number]) => unknown) => new Set(worlds.map((world) => JSON.stringify(part(world)))).size;
    expect(seen((w) => w.instances)).toBe(3);
    expect(seen((w) => w.servers)).toBe(4);
    expect(seen((w) => w.players.length)).toBe(8);
    expect(new Set(worlds.flatMap((w) => w.players)).size).toBe(BEHAVIOURS.length);
    expect(seen((w) => w.config.gameModes?.length)).toBeGreaterThan(1);
    expect(seen((w) => w.faults.redisFailBefore)).toBe(3);
    expect(seen((w) => w.faults.serverError)).toBe(3);
    expect(seen((w) => w.faults.serverRetried)).toBe(3);
    expect(seen((w) => w.events.redisRestarts)).toBe(2);
    expect(seen((w) => w.events.redisRollbacks)).toBe(2);
    expect(seen((w) => w.events.garbagePublishes)).toBe(2);
    expect(seen((w) => w.events.redisClockJumps)).toBe(2);
    expect(seen((w) => w.events.serverDeaths)).toBe(3);
    expect(seen((w) => w.choices)).toBe(3);
    expect(seen((w) => w.timeGridMs)).toBe(4);
    expect(seen((w) => w.serverHeartbeatMs)).toBe(2);
  });

  it("renew a dedicated server's registration at the drawn heartbeat, which lapses after three of them", async () => {
    const seed = worlds.findIndex((world) => world.serverHeartbeatMs === 5_000);
    const trace = await runOnce({ scenario: SWARM_WORLD, server: "fixed", seed, strategy: "preempt", options: worlds[seed]! });
    const registrations = trace.steps.filter((step) => step.event.kind === "redis" && step.event.script === "fixed:register_server");
    expect(registrations.length).toBeGreaterThan(0);
    for (const step of registrations) expect(step.event.kind === "redis" && step.event.args[2]).toBe(15_000);
    expect(optionsProblem({ ...worlds[seed], serverHeartbeatMs: 0 })).toMatch(/serverHeartbeatMs/);
  });
});

describe("sim fuzz --swarm", () => {
  it("finds nothing on the fixed server", () => {
    const { code, stdout } = sim("fuzz", "--server", "fixed", "--swarm", "--seeds", "0..19", "--json");
    expect(code).toBe(0);
    const summary = lastJson(stdout);
    expect(summary.results).toEqual([{ scenario: "swarm-world", runs: 20, failures: 0, violations: [] }]);
  });

  it("finds legacy defects whose traces carry the drawn world: replay is identical, the seed runs again", () => {
    const out = scratchDir("sim-swarm-");
    const fuzz = sim("fuzz", "--server", "legacy", "--swarm", "--seeds", "0..3", "--json", "--out", out, "--no-shrink");
    expect(fuzz.code).toBe(1);
    const bug = lastJson(fuzz.stdout).signatures[0];
    expect(bug.reproduce).toMatch(/^npx sim run swarm-world --server legacy --strategy preempt --seed \d+ --runs 1$/);
    const replay = sim("replay", bug.trace, "--json");
    expect(replay.code).toBe(1);
    expect(lastJson(replay.stdout)).toMatchObject({ identical: true });
    const again = sim("run", ...bug.reproduce.split(" ").slice(3), "--json", "--out", out, "--no-shrink");
    expect(again.code).toBe(1);
    expect(lastJson(again.stdout).violations.map((v: { signature: string }) => v.signature)).toContain(bug.signature);
  });

  it("draws its own worlds: --scenario with it is one line of usage error", () => {
    const { code, stderr } = sim("fuzz", "--swarm", "--scenario", "happy-path", "--seeds", "0..1");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});
