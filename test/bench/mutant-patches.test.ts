import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseMutant, readMutants } from "../../bench/mutants/patches.ts";
import { DEDICATED_PROBES } from "../../src/dedicated/probes.ts";
import { FIXED_PROBES } from "../../src/fixed/probes.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const mutants = readMutants();

describe("npm run mutants: the patches", () => {
  it("are at least 40, spread over every fixed script and the handlers", () => {
    expect(mutants.length).toBeGreaterThanOrEqual(40);
    const files = new Set(mutants.map((mutant) => mutant.file));
    const scripts = execFileSync("git", ["ls-files", "src/fixed/scripts/*.lua"], { cwd: REPO, encoding: "utf8" }).trim().split("\n");
    for (const script of scripts) expect(files).toContain(script);
    expect([...files].filter((file) => file.endsWith(".ts")).length).toBeGreaterThanOrEqual(6);
  });

  it("each apply cleanly to the current source, so none has gone stale", () => {
    for (const mutant of mutants) {
      expect(() => execFileSync("git", ["apply", "--check", mutant.path], { cwd: REPO, stdio: "pipe" }), mutant.name).not.toThrow();
    }
  });

  it("each change one server file, say what they break, and name probes the catalogs have", () => {
    const catalog = { ...FIXED_PROBES, ...DEDICATED_PROBES };
    for (const mutant of mutants) {
      expect(mutant.file, mutant.name).toMatch(/^src\/(fixed|dedicated)\//);
      expect(mutant.breaks.length, mutant.name).toBeGreaterThan(20);
      for (const probe of mutant.probes) expect(Object.keys(catalog), `${mutant.name}: ${probe}`).toContain(probe);
    }
    expect(new Set(mutants.map((mutant) => mutant.name)).size).toBe(mutants.length);
  });

  it("refuses a patch without its Breaks line or with more than one file", () => {
    const diff = (file: string) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-a\n+b\n`;
    expect(() => parseMutant("01-x.patch", `Probes: \n\n${diff("src/fixed/sweep.ts")}`)).toThrow(/Breaks/);
    expect(() => parseMutant("01-x.patch", `Breaks: it\nProbes: \n\n${diff("a.ts")}${diff("b.ts")}`)).toThrow(/exactly one file/);
    expect(parseMutant("/p/01-x.patch", `Breaks: it\nProbes: fixed.a, ds.b\n\n${diff("src/fixed/sweep.ts")}`)).toMatchObject({
      name: "01-x",
      file: "src/fixed/sweep.ts",
      probes: ["fixed.a", "ds.b"],
    });
  });
});
