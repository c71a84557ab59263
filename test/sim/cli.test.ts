import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../support/scratch-dir.ts";
import { findScenario } from "../../scenarios/index.ts";

const ROOT = join(import.meta.dirname, "../..");

function sim(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, "bin/sim.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `sim` as a child that runs alongside others: most of a short command's time is the process starting. */
function simAsync(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/sim.mjs"), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop() ?? "null");

describe("the sim command line", () => {
  it("lists the scenarios, with --json as the last line", () => {
    const { code, stdout } = sim("list", "--json");
    expect(code).toBe(0);
    expect(lastJson(stdout).scenarios.map((s: { name: string }) => s.name)).toEqual([
      "happy-path", "cancel-vs-complete", "complete-vs-stale", "stale-sweep", "malformed-input", "server-contention", "instance-crash", "redis-restart", "redis-rollback", "plays-again", "swarm",
    ]);
    const faults = lastJson(stdout).faults.map((kind: { name: string }) => kind.name);
    expect(faults).toEqual(expect.arrayContaining(["crash", "pause", "lost-command", "lost-reply", "redis-restart", "server-death", "foreign-write"]));
    const text = sim("list").stdout;
    expect(text).toMatch(/^fault kinds$/m);
    expect(text).toMatch(/^crash +an instance dies/m);
  });

  it("finds a legacy defect, exits 1, and its trace replays identically", () => {
    const out = scratchDir("sim-cli-");
    const run = sim("run", "malformed-input", "--server", "legacy", "--runs", "5", "--json", "--out", out, "--no-shrink");
    expect(run.code).toBe(1);
    const summary = lastJson(run.stdout);
    expect(summary).toMatchObject({ scenario: "malformed-input", server: "legacy", strategy: "preempt" });
    // Legacy breaks queue-order too (its queue is a set); the defect the scenario is for is among what it breaks.
    const crash = summary.violations.find((violation: { invariant: string }) => violation.invariant === "no-crash");
    expect(crash).toMatchObject({ seed: 0, invariant: "no-crash" });
    expect(crash.reproduce).toBe("npx sim run malformed-input --server legacy --strategy preempt --seed 0 --runs 1");
    const replay = sim("replay", summary.violations[0].trace, "--json");
    expect(replay.code).toBe(1);
    expect(lastJson(replay.stdout)).toMatchObject({ identical: true });
    expect(lastJson(replay.stdout).violations.map((violation: { invariant: string }) => violation.invariant)).toContain("no-crash");
    const interpreted = sim("replay", summary.violations[0].trace, "--lua", "interpreted", "--json");
    expect(interpreted.code).toBe(1);
    expect(lastJson(interpreted.stdout)).toMatchObject({ identical: true });
    expect(lastJson(interpreted.stdout).violations.map((violation: { invariant: string }) => violation.invariant)).toContain("no-crash");
  });

  it("runs a scenario with its coincidence overridden, and says so in the command that reproduces a failure", () => {
    const out = scratchDir("sim-cli-");
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

  it("answers bad usage and bad input with one line and exit 2", async () => {
    const dir = scratchDir("sim-bad-");
    const truncated = join(dir, "truncated.json");
    writeFileSync(truncated, '{"format":"match-race-sim/trace@1","scen');
    const formatOne = join(dir, "format-one.json");
    writeFileSync(formatOne, JSON.stringify({ format: "match-race-sim/trace@1", scenario: "happy-path" }));
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
      ["replay", formatOne],
      ["run", "test/sim/fixtures/bad-options.scenario.ts"],
      ["run", "test/sim/fixtures/missing.scenario.ts"],
      ["fuzz", "--scenario", "./nowhere.ts"],
      ["replay", truncated],
      ["shrink", foreign],
      ["report", join(dir, "missing.json")],
      ["teleport"],
    ];
    const answers = await Promise.all(cases.map((args) => simAsync(...args)));
    for (const [i, args] of cases.entries()) {
      const { code, stderr } = answers[i] as { code: number | null; stderr: string };
      expect(code, args.join(" ")).toBe(2);
      expect(stderr.trim().split("\n").length, `${args.join(" ")}: ${stderr}`).toBe(1);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("shrinks a trace into --out with a fresh timeline, renders any trace's timeline, and refuses an unwritable --out in one line", () => {
    const out = scratchDir("sim-report-");
    const run = sim("run", "malformed-input", "--server", "legacy", "--runs", "1", "--json", "--out", out, "--no-shrink");
    const path = lastJson(run.stdout).violations[0].trace as string;
    expect(lastJson(run.stdout).violations).toContainEqual(expect.objectContaining({ invariant: "no-crash", defect: 4, signature: expect.stringMatching(/^[0-9a-f]{12}$/) }));
    expect(run.stderr).toContain("cause      seed defect 4: a handler unwraps input it cannot parse");

    const shrunkDir = join(out, "shrunk");
    const crash = lastJson(run.stdout).violations.find((violation: { invariant: string }) => violation.invariant === "no-crash");
    expect(sim("shrink", path, "--signature", "000000000000").stderr).toMatch(/^sim: .* records no violation with signature 000000000000\n$/);
    const shrink = sim("shrink", path, "--signature", crash.signature, "--out", shrunkDir, "--json");
    expect(shrink.code).toBe(1);
    const shrunk = lastJson(shrink.stdout);
    expect(shrunk).toMatchObject({ defect: 4, playersBefore: findScenario("malformed-input")!.options.players.length });
    expect(shrunk.playersAfter).toBeLessThanOrEqual(2);
    expect(shrunk.shrunk.startsWith(shrunkDir)).toBe(true);
    const page = readFileSync(shrunk.timeline, "utf8");
    expect(page).toContain('"name":"shrunk"');
    expect(page).toContain("seed defect 4");
    expect(sim("replay", shrunk.shrunk).code).toBe(1);

    const report = sim("report", path, "--out", join(out, "pages"), "--json");
    expect(report.code).toBe(0);
    expect(readFileSync(lastJson(report.stdout).timeline, "utf8")).toContain("<!DOCTYPE html>");

    const unwritable = sim("report", path, "--out", "/dev/null/pages");
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.trim().split("\n")).toHaveLength(1);
    expect(unwritable.stderr).toMatch(/^sim: cannot write \/dev\/null\/pages\/.*\.html \(ENOTDIR\)/);
  });

  it("says which format an old trace was recorded with", () => {
    const dir = scratchDir("sim-old-");
    const old = join(dir, "old.json");
    writeFileSync(old, JSON.stringify({ format: "match-race-sim/trace@1", scenario: "happy-path" }));
    const { code, stderr } = sim("replay", old);
    expect(code).toBe(2);
    expect(stderr).toContain("was recorded with format 1; this version reads format 2");
  });

  it("runs a scenario from a file with a checker of its own, and its trace replays with that checker", () => {
    const out = scratchDir("sim-file-");
    const run = sim("run", "./test/sim/fixtures/crowded-queue.scenario.ts", "--runs", "3", "--json", "--out", out, "--no-shrink");
    expect(run.code).toBe(1);
    const summary = lastJson(run.stdout);
    expect(summary).toMatchObject({ scenario: "crowded-queue", server: "fixed" });
    expect(summary.violations[0]).toMatchObject({ seed: 0, invariant: "lone-queuer", message: "2 players are queued at once" });
    expect(summary.violations[0].reproduce).toBe("npx sim run ./test/sim/fixtures/crowded-queue.scenario.ts --server fixed --strategy preempt --seed 0 --runs 1");
    expect(run.stdout + run.stderr).toContain("at most one player waits in a queue at any time");
    const trace = JSON.parse(readFileSync(summary.violations[0].trace, "utf8")) as { scenarioFile: string };
    expect(trace.scenarioFile).toBe(join(ROOT, "test/sim/fixtures/crowded-queue.scenario.ts"));
    const replay = sim("replay", summary.violations[0].trace, "--json");
    expect(replay.code).toBe(1);
    expect(lastJson(replay.stdout)).toMatchObject({ identical: true, violations: [{ invariant: "lone-queuer" }] });
  });

  it("says where a trace was recorded and where it runs, and names both when a replay diverges", () => {
    const out = scratchDir("sim-rev-");
    const run = sim("run", "malformed-input", "--server", "legacy", "--runs", "1", "--json", "--out", out, "--no-shrink");
    const path = lastJson(run.stdout).violations[0].trace as string;
    const trace = JSON.parse(readFileSync(path, "utf8")) as { revision: { code: string; git: string | null }; decisions: number[] };
    expect(trace.revision.code).toMatch(/^[0-9a-f]{16}$/);
    trace.revision = { code: "0000000000000000", git: null };
    writeFileSync(path, JSON.stringify(trace));
    const same = sim("replay", path);
    expect(same.code).toBe(1);
    expect(same.stdout).toContain("recorded at code 0000000000000000, running code ");
    trace.decisions = trace.decisions.slice(0, 3).concat([999_999]);
    writeFileSync(path, JSON.stringify(trace));
    const diverged = sim("replay", path);
    expect(diverged.code).toBe(3);
    expect(diverged.stderr.trim().split("\n")).toHaveLength(1);
    expect(diverged.stderr).toMatch(/^sim: non-determinism: replay diverged at step 3/);
  });

  it("groups a campaign's failures by signature, and with a baseline marks each bug new or known", () => {
    const out = scratchDir("sim-fuzz-");
    const first = sim("fuzz", "--server", "legacy", "--scenario", "malformed-input", "--seeds", "0..5", "--no-shrink", "--json", "--out", out);
    expect(first.code).toBe(1);
    const campaign = lastJson(first.stdout);
    expect(campaign.signatures.length).toBeGreaterThan(0);
    for (const entry of campaign.signatures) {
      expect(entry).toMatchObject({ status: "new", scenario: "malformed-input", shrunk: null });
      expect(entry.signature).toMatch(/^[0-9a-f]{12}$/);
      expect(entry.reproduce).toMatch(/^npx sim run malformed-input --server legacy /);
      expect(readFileSync(entry.trace, "utf8")).toContain(`"format":"match-race-sim/trace@2"`);
    }
    const total = campaign.signatures.reduce((sum: number, entry: { count: number }) => sum + entry.count, 0);
    expect(total).toBeGreaterThanOrEqual(campaign.results[0].failures);
    const baseline = join(out, "baseline.json");
    writeFileSync(baseline, first.stdout);
    const again = sim("fuzz", "--server", "legacy", "--scenario", "malformed-input", "--seeds", "0..5", "--no-shrink", "--json", "--out", out, "--baseline", baseline, "--fail-on", "new");
    expect(again.code).toBe(0);
    expect(lastJson(again.stdout).signatures.every((entry: { status: string }) => entry.status === "known")).toBe(true);
    const partial = join(out, "partial.json");
    writeFileSync(partial, JSON.stringify({ signatures: campaign.signatures.slice(1) }));
    const fresh = sim("fuzz", "--server", "legacy", "--scenario", "malformed-input", "--seeds", "0..5", "--no-shrink", "--json", "--out", out, "--baseline", partial, "--fail-on", "new");
    expect(fresh.code).toBe(1);
    expect(lastJson(fresh.stdout).signatures.filter((entry: { status: string }) => entry.status === "new")).toHaveLength(1);
  });

  it("checks --out before the first run: one line, exit 2, even where a recursive mkdir would never return", () => {
    const file = join(scratchDir("sim-out-"), "a-file");
    writeFileSync(file, "");
    for (const out of [file, join(file, "below"), "/proc/nope"]) {
      const { code, stderr } = sim("fuzz", "--scenario", "happy-path", "--seeds", "0..0", "--out", out);
      expect(code, out).toBe(2);
      expect(stderr.trim().split("\n"), stderr).toHaveLength(1);
      expect(stderr).toMatch(/^sim: --out /);
    }
  });

  it("ends a campaign on SIGINT with the summary so far, its traces written, and exit 130", async () => {
    const out = scratchDir("sim-int-");
    const child = spawn(process.execPath, [join(ROOT, "bin/sim.mjs"), "fuzz", "--server", "legacy", "--scenario", "malformed-input", "--seeds", "0..1000000", "--no-shrink", "--json", "--out", out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    let asked = false;
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (asked) return;
      asked = true;
      setTimeout(() => child.kill("SIGINT"), 2_000);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (exit) => resolve(exit)));
    expect(code).toBe(130);
    const summary = lastJson(stdout);
    expect(summary.interrupted).toBe("SIGINT");
    expect(summary.runs).toBeGreaterThan(0);
    expect(summary.signatures.length).toBeGreaterThan(0);
    for (const entry of summary.signatures) expect(readFileSync(entry.trace, "utf8").length).toBeGreaterThan(100);
  });
});
