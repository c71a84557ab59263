import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { paint, table } from "../sim/cli/output.ts";

/**
 * `npm run bench:guided -- [--patch FILE]... [--budget S] [--from N] [--mode blind|guided] [--workers N] [--swarm] [--seeds A..B] [--json]`: time to
 * kill, blind fuzzing against guided, side by side. Each patch plants a bug in the fixed server (default: every
 * bench/planted/*.patch, whose first line says what it breaks); it is applied to a scratch copy of the project
 * in the system's temporary directory, never to this one, and `sim fuzz --server fixed --until-bug` runs there
 * once blind and once `--guided`, each within the budget from seed 0 (or `--from` seed N on: another sample of the
 * same comparison), or over the seed range; `--mode` runs one of the two. First, the campaigns run on an
 * unpatched copy: what they find there is the server's own (or the oracle's) and is passed as `--baseline`,
 * so a kill is a bug the patch made. A benchmark, not a test: it prints figures and judges nothing.
 */
const ROOT = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const json = args.includes("--json");
const say = (text = "") => (json ? process.stderr : process.stdout).write(`${text}\n`);
const given = args.flatMap((arg, i) => (args[i - 1] === "--patch" ? [resolve(arg)] : []));
const planted = join(ROOT, "bench/planted");
const patches = given.length > 0 ? given : readdirSync(planted).filter((name) => name.endsWith(".patch")).sort().map((name) => join(planted, name));
const budget = flag("--budget") ?? "120";
const workers = flag("--workers") ?? "1";
const seeds = flag("--seeds");
const from = flag("--from") ?? "0";
if (!/^\d+$/.test(from)) {
  process.stderr.write(`bench:guided: --from takes a seed (a whole number), not "${from}"\n`);
  process.exit(2);
}
/** Seeds a budgeted campaign may reach from `--from`: far more than any budget runs. */
const REACH = 100_000_000;
const swarm = args.includes("--swarm");
const BOTH = ["blind", "guided"] as const;
type Mode = (typeof BOTH)[number];
const only = flag("--mode");
if (only !== undefined && !(BOTH as readonly string[]).includes(only)) {
  process.stderr.write(`bench:guided: --mode takes blind or guided, not "${only}"\n`);
  process.exit(2);
}
/** The campaigns run: both, or one (the other's figures taken from an earlier run, when only one side changed). */
const MODES: readonly Mode[] = only === undefined ? BOTH : [only as Mode];

interface Hunt {
  killed: boolean;
  /** From the campaign's start to the first failing run, or the whole campaign when nothing failed. */
  seconds: number;
  runs: number;
  by: string | null;
}

/** The project's code and scenarios in a fresh directory, node_modules shared, with the patch applied (if any). */
function scratchCopy(patch: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-guided-"));
  for (const entry of ["bin", "src", "sim", "scenarios", "package.json", "tsconfig.json"]) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, "node_modules")), join(dir, "node_modules"));
  if (patch === null) return dir;
  const applied = spawnSync("patch", ["-p1", "-s", "-d", dir, "-i", patch], { encoding: "utf8" });
  if (applied.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${patch} does not apply: ${(applied.stdout + applied.stderr).trim()}`);
  }
  return dir;
}

interface Found {
  runs: number;
  elapsedMs: number;
  signatures: Array<{ signature: string; invariant: string; status: string; foundAfterMs: number; foundAfterRuns: number }>;
}

/** One campaign in `dir`: to the first bug new since `baseline`, or through the whole budget without one. */
function fuzz(dir: string, mode: Mode, baseline: string | null): Found {
  const onward = from === "0" ? [] : ["--seeds", `${from}..${Number(from) + REACH}`];
  const range = seeds === undefined ? ["--budget", budget, ...onward] : ["--seeds", seeds];
  const fuzz = ["bin/sim.mjs", "fuzz", "--server", "fixed", ...range, "--workers", workers, "--no-shrink", "--json", "--out", join(dir, "reports")];
  if (baseline !== null) fuzz.push("--until-bug", "--baseline", baseline);
  if (swarm) fuzz.push("--swarm");
  if (mode === "guided") fuzz.push("--guided");
  const result = spawnSync("nice", ["-n", "10", process.execPath, ...fuzz], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
  const last = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 && result.status !== 1) throw new Error(`sim fuzz (${mode}) exited ${result.status}: ${result.stderr.trim().split("\n").pop()}`);
  try {
    return JSON.parse(last) as Found;
  } catch {
    const why = result.error?.message ?? result.stderr.trim().split("\n").slice(-3).join(" / ");
    throw new Error(`sim fuzz (${mode}) printed no JSON (exit ${result.status}, signal ${result.signal}): ${why}`);
  }
}

function hunt(dir: string, mode: Mode, baseline: string): Hunt {
  const summary = fuzz(dir, mode, baseline);
  const first = summary.signatures.filter((entry) => entry.status === "new").sort((a, b) => a.foundAfterRuns - b.foundAfterRuns)[0];
  if (first === undefined) return { killed: false, seconds: summary.elapsedMs / 1000, runs: summary.runs, by: null };
  return { killed: true, seconds: first.foundAfterMs / 1000, runs: first.foundAfterRuns, by: first.invariant };
}

const median = (values: number[]): number | null => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

say(
  `${paint.strong("bench:guided")} ${patches.length} planted bug(s), ${seeds === undefined ? `budget ${budget} s from seed ${from}` : `seeds ${seeds}`} per campaign, ` +
    `workers ${workers}${swarm ? ", swarm worlds" : ", every scenario"}`,
);
// What the unpatched server shows to either campaign is not a kill.
const clean = scratchCopy(null);
const baseline = join(clean, "baseline.json");
try {
  const own = MODES.flatMap((mode) => fuzz(clean, mode, null).signatures.map((entry) => entry.signature));
  writeFileSync(baseline, `${JSON.stringify({ signatures: [...new Set(own)].map((signature) => ({ signature })) })}\n`);
  say(`  unpatched: ${own.length === 0 ? "no bug" : `${new Set(own).size} bug(s) of its own, not counted as kills: ${[...new Set(own)].join(", ")}`}`);
} catch (error) {
  rmSync(clean, { recursive: true, force: true });
  throw error;
}
const rows: string[][] = [[paint.strong("bug"), ...MODES.flatMap((mode) => [paint.strong(mode), ""]), paint.strong("what it breaks")]];
const results: Array<{ bug: string; what: string } & Partial<Record<Mode, Hunt>>> = [];
for (const patch of patches) {
  const bug = basename(patch, ".patch");
  const what = readFileSync(patch, "utf8").split("\n")[0] ?? "";
  const dir = scratchCopy(patch);
  try {
    const hunts = Object.fromEntries(MODES.map((mode) => [mode, hunt(dir, mode, baseline)])) as Partial<Record<Mode, Hunt>>;
    results.push({ bug, what, ...hunts });
    const cell = (h: Hunt) => (h.killed ? [paint.fail(`${h.seconds.toFixed(1)} s`), `${h.runs} runs, ${h.by}`] : [paint.pass("survived"), `${h.runs} runs`]);
    const ran = MODES.map((mode) => [mode, hunts[mode] as Hunt] as const);
    rows.push([paint.name(bug), ...ran.flatMap(([, h]) => cell(h)), paint.dim(what)]);
    say(`  ${bug}: ${ran.map(([mode, h]) => `${mode} ${h.killed ? `${h.seconds.toFixed(1)} s` : "survived"}`).join(", ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(clean, { recursive: true, force: true });
say();
for (const line of table(rows)) say(line);
const totals = Object.fromEntries(
  MODES.map((mode) => {
    const kills = results.flatMap((result) => (result[mode]?.killed === true ? [result[mode]] : []));
    return [mode, { killed: kills.length, medianSeconds: median(kills.map((kill) => kill.seconds)), medianRuns: median(kills.map((kill) => kill.runs)) }];
  }),
) as Record<Mode, { killed: number; medianSeconds: number | null; medianRuns: number | null }>;
for (const mode of MODES) {
  const total = totals[mode];
  say(`${mode.padEnd(6)} killed ${total.killed} of ${results.length}; median time to kill ${total.medianSeconds ?? "-"} s, ${total.medianRuns ?? "-"} runs`);
}
if (json) process.stdout.write(`${JSON.stringify({ bugs: results.length, totals, results })}\n`);
