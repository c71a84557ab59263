import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../support/scratch-dir.ts";
import { SCENARIOS } from "../../scenarios/index.ts";

const ROOT = join(import.meta.dirname, "../..");

function sim(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/sim.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop() ?? "null");

describe("sim check on a tiny world", () => {
  it("exhausts legacy stale-sweep's world of seed 1 without preemptions, and shards split it", () => {
    const whole = sim("check", "stale-sweep", "--server", "legacy", "--seed", "1", "--preemptions", "0", "--json");
    expect(whole.code, whole.stderr).toBe(0);
    const summary = lastJson(whole.stdout);
    expect(summary).toMatchObject({ scenario: "stale-sweep", server: "legacy", seed: 1, preemptions: 0, faults: 0, complete: true, violations: [] });
    expect(summary.schedules).toBeGreaterThan(1);
    expect(Object.keys(summary).sort()).toEqual(
      ["complete", "elapsedMs", "faults", "preemptions", "pruned", "scenario", "schedules", "schedulesPerSecond", "seed", "server", "violations"].sort(),
    );
    const halves = ["1/2", "2/2"].map((shard) => lastJson(sim("check", "stale-sweep", "--server", "legacy", "--seed", "1", "--preemptions", "0", "--shard", shard, "--json").stdout));
    expect(halves.every((half) => half.complete)).toBe(true);
    expect(halves[0].schedules + halves[1].schedules).toBe(summary.schedules);
  });

  it("finds legacy's stale-sweep defect in the world of seed 7 without preemptions, exits 1, and the trace replays", () => {
    const out = scratchDir("sim-check-");
    const run = sim("check", "stale-sweep", "--server", "legacy", "--seed", "7", "--preemptions", "0", "--json", "--out", out, "--no-shrink");
    expect(run.code, run.stderr).toBe(1);
    const summary = lastJson(run.stdout);
    expect(summary.complete).toBe(false);
    expect(summary.violations[0]).toMatchObject({ seed: 7, invariant: "no-lost-player" });
    expect(summary.violations[0].reproduce).toBe(`npx sim replay ${summary.violations[0].trace}`);
    const replay = sim("replay", summary.violations[0].trace, "--json");
    expect(replay.code).toBe(1);
    expect(lastJson(replay.stdout)).toMatchObject({ identical: true });
  });

  it("says what is wrong with bad flags in one line, exit 2", () => {
    for (const args of [["--shard", "3/2"], ["--budget", "0"]]) {
      const { code, stderr } = sim("check", "happy-path", ...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("check sizes", () => {
  it("every scenario has a small world for sim check: 2-3 players (4 for two pairs contending), 1-2 instances, 1-2 servers", () => {
    for (const scenario of SCENARIOS) {
      const size = scenario.check;
      expect(size, scenario.name).toBeDefined();
      expect(size?.players.length, scenario.name).toBeGreaterThanOrEqual(2);
      expect(size?.players.length, scenario.name).toBeLessThanOrEqual(scenario.name === "server-contention" ? 4 : 3);
      for (const count of [size?.instances, size?.servers]) {
        expect(count, scenario.name).toBeGreaterThanOrEqual(1);
        expect(count, scenario.name).toBeLessThanOrEqual(2);
      }
    }
  });
});
