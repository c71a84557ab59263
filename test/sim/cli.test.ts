import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

function sim(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/sim.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop() ?? "null");

describe("the sim command line", () => {
  it("lists the scenarios, with --json as the last line", () => {
    const { code, stdout } = sim("list", "--json");
    expect(code).toBe(0);
    expect(lastJson(stdout).scenarios.map((s: { name: string }) => s.name)).toEqual([
      "happy-path", "cancel-vs-complete", "complete-vs-stale", "stale-sweep", "malformed-input", "server-contention", "instance-crash", "swarm",
    ]);
  });

  it("finds a legacy defect, exits 1, and its trace replays identically", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-cli-"));
    const run = sim("run", "malformed-input", "--server", "legacy", "--runs", "5", "--json", "--out", out, "--no-shrink");
    expect(run.code).toBe(1);
    const summary = lastJson(run.stdout);
    expect(summary).toMatchObject({ scenario: "malformed-input", server: "legacy", strategy: "preempt" });
    expect(summary.violations[0]).toMatchObject({ seed: 0, invariant: "no-crash" });
    expect(summary.violations[0].reproduce).toBe("npx sim run malformed-input --server legacy --strategy preempt --seed 0 --runs 1");
    const replay = sim("replay", summary.violations[0].trace, "--json");
    expect(replay.code).toBe(1);
    expect(lastJson(replay.stdout)).toMatchObject({ identical: true, violations: [{ invariant: "no-crash" }] });
    const interpreted = sim("replay", summary.violations[0].trace, "--lua", "interpreted", "--json");
    expect(interpreted.code).toBe(1);
    expect(lastJson(interpreted.stdout)).toMatchObject({ identical: true, violations: [{ invariant: "no-crash" }] });
  });

  it("runs a scenario with its coincidence overridden, and says so in the command that reproduces a failure", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-cli-"));
    const run = sim("run", "stale-sweep", "--server", "legacy", "--runs", "50", "--coincidence", "0", "--json", "--out", out, "--no-shrink");
    expect(run.code).toBe(1);
    const summary = lastJson(run.stdout);
    expect(summary.violations[0].reproduce).toMatch(/ --runs 1 --coincidence 0$/);
    const replay = sim("replay", summary.violations[0].trace, "--json");
    expect(lastJson(replay.stdout)).toMatchObject({ identical: true });
    const again = sim("run", ...summary.violations[0].reproduce.split(" ").slice(3), "--json", "--out", out, "--no-shrink");
    expect(lastJson(again.stdout).violations[0]).toMatchObject({ seed: summary.violations[0].seed, invariant: summary.violations[0].invariant });
  });

  it("passes the fixed server and exits 0", () => {
    const { code, stdout } = sim("run", "happy-path", "--runs", "3", "--json");
    expect(code).toBe(0);
    expect(lastJson(stdout)).toMatchObject({ runs: 3, violations: [] });
  });

  it("answers bad usage and bad input with one line and exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-bad-"));
    const truncated = join(dir, "truncated.json");
    writeFileSync(truncated, '{"format":"match-race-sim/trace@1","scen');
    const foreign = join(dir, "foreign.json");
    writeFileSync(foreign, JSON.stringify({ hello: "world" }));
    const cases = [
      ["run", "no-such-scenario"],
      ["run", "happy-path", "--server", "modern"],
      ["run", "happy-path", "--runs", "-4"],
      ["run", "happy-path", "--strategy", "bfs"],
      ["fuzz", "--seeds", "9..2"],
      ["fuzz", "--shard", "3/2"],
      ["run", "happy-path", "--coincidence", "1.5"],
      ["fuzz", "--coincidence", "often"],
      ["replay", join(dir, "missing.json")],
      ["replay", truncated],
      ["shrink", foreign],
      ["teleport"],
    ];
    for (const args of cases) {
      const { code, stderr } = sim(...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n").length, `${args.join(" ")}: ${stderr}`).toBe(1);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});
