import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assert } from "../../sim/assert.ts";
import type { BlindHunt, Kill, StageOutcome } from "./outcome.ts";

/**
 * The hunt's stages, cheapest first; a mutant goes on to the next only if it survived the previous. Blind
 * stages run bench/mutants/hunt.ts (stops at the first failing run); the others run `sim fuzz` with their
 * arguments, over the same seeds, when this checkout's `sim fuzz` has every flag among them (missingFlag).
 */
export type Stage =
  | { name: string; kind: "blind"; from: number; to: number }
  | { name: string; kind: "flag"; args: readonly string[]; from: number; to: number };

/** The storms (bench/storms/): worlds far rougher than the scenarios, where late frames meet short games and flaky servers. */
const STORMS = ["delays", "slow-redis", "everything", "lost-data", "servers"].flatMap((name) => ["--scenario", `bench/storms/${name}.scenario.ts`]);

export const STAGES: readonly Stage[] = [
  { name: "blind 0..149", kind: "blind", from: 0, to: 149 },
  { name: "blind 150..999", kind: "blind", from: 150, to: 999 },
  { name: "guided 0..999", kind: "flag", args: ["--guided"], from: 0, to: 999 },
  { name: "swarm 0..999", kind: "flag", args: ["--swarm"], from: 0, to: 999 },
  { name: "storms 0..999", kind: "flag", args: STORMS, from: 0, to: 999 },
];

/** Output a hunt may print: a whole campaign's JSON line with its coverage. */
const MAX_OUTPUT = 64 * 1024 * 1024;

function run(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir, maxBuffer: MAX_OUTPUT, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function lastJsonLine(stdout: string): unknown {
  const line = stdout.trimEnd().split("\n").at(-1) ?? "";
  return JSON.parse(line);
}

/** The first flag of the stage's arguments that `flags` (this checkout's `sim fuzz`'s) lacks, or null. */
export function missingFlag(stage: Stage & { kind: "flag" }, flags: ReadonlySet<string>): string | null {
  return stage.args.find((arg) => arg.startsWith("--") && !flags.has(arg)) ?? null;
}

/** The flags this checkout's `sim fuzz` knows, read from its help. */
export async function fuzzFlags(repo: string): Promise<Set<string>> {
  const help = await run(repo, ["bin/sim.mjs", "fuzz", "--help"]);
  assert(help.code === 0, `sim fuzz --help runs (exit ${help.code}: ${help.stderr.trim()})`);
  return new Set(help.stdout.match(/--[a-z][a-z-]*/g) ?? []);
}

async function blind(dir: string, stage: Stage, budgetS: number): Promise<StageOutcome> {
  const { code, stdout, stderr } = await run(dir, ["--import", "tsx", "bench/mutants/hunt.ts", String(stage.from), String(stage.to), String(budgetS)]);
  if (code !== 0) throw new Error(`hunt exited ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`);
  const hunt = lastJsonLine(stdout) as BlindHunt;
  const short = hunt.budgetSpent ? `${stage.name}: budget of ${budgetS} s spent at seed ${hunt.lastSeed}` : null;
  return { stage: stage.name, kill: hunt.kill, runs: hunt.runs, seconds: hunt.seconds, coverage: hunt.coverage, short };
}

interface FuzzSummary {
  runs: number;
  elapsedMs: number;
  signatures: Array<{
    signature: string;
    invariant: string;
    summary: string;
    firstSeed: number;
    scenario: string;
    /** When the campaign tells: the runs and milliseconds it had spent when it first saw this signature. */
    foundAfterRuns?: number;
    foundAfterMs?: number | null;
  }>;
}

/**
 * A `sim fuzz` campaign with the stage's flag. It does not stop at its first failing run: the kill is the
 * signature it saw first, with the runs and seconds it took when the campaign says (`foundAfterRuns`,
 * `foundAfterMs`), else the lowest seed's, with the whole campaign's runs and seconds (an upper bound).
 */
async function flagged(dir: string, stage: Stage & { kind: "flag" }, budgetS: number): Promise<StageOutcome> {
  const out = join(dir, "reports");
  const coverageFile = join(out, "coverage.json");
  const args = ["bin/sim.mjs", "fuzz", "--server", "fixed", ...stage.args, "--seeds", `${stage.from}..${stage.to}`, "--budget", String(budgetS)];
  args.push("--stop-at-first", "--no-shrink", "--json", "--out", out, "--coverage", coverageFile);
  const { code, stdout, stderr } = await run(dir, args);
  if (code !== 0 && code !== 1) throw new Error(`sim fuzz (${stage.name}) exited ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`);
  const summary = lastJsonLine(stdout) as FuzzSummary;
  const file = JSON.parse(readFileSync(coverageFile, "utf8")) as { probes: Record<string, { hits: number }> };
  const coverage = Object.fromEntries(Object.entries(file.probes).map(([name, probe]) => [name, probe.hits]));
  const short = summary.elapsedMs >= budgetS * 1000 ? `${stage.name}: budget of ${budgetS} s spent after ${summary.runs} runs` : null;
  const first = summary.signatures
    .slice()
    .sort((a, b) => (a.foundAfterRuns ?? a.firstSeed) - (b.foundAfterRuns ?? b.firstSeed) || a.scenario.localeCompare(b.scenario))[0];
  if (!first) return { stage: stage.name, kill: null, runs: summary.runs, seconds: summary.elapsedMs / 1000, coverage, short };
  const kill: Kill = { scenario: first.scenario, seed: first.firstSeed, invariant: first.invariant, signature: first.signature, summary: first.summary };
  const runs = first.foundAfterRuns ?? summary.runs;
  const seconds = (first.foundAfterMs ?? summary.elapsedMs) / 1000;
  return { stage: stage.name, kill, runs, seconds, coverage, short };
}

export function runStage(dir: string, stage: Stage, budgetS: number): Promise<StageOutcome> {
  return stage.kind === "blind" ? blind(dir, stage, budgetS) : flagged(dir, stage, budgetS);
}
