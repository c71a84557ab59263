/**
 * Median µs per call of every server script on the simulated Redis and on a real redis-server over
 * loopback (EVALSHA through ioredis), each call on a pre-state that makes it do its real work; and of
 * SADD / SISMEMBER / HGET on 10,000-member collections. A benchmark, not a test: it prints, it does not
 * judge (targets: scripts at most 50 µs and at most half of real Redis; collections at most 10 µs).
 *
 *   npm run bench:redis -- [--samples 2000] [--collection-samples 20000] [--sim-only] [--json]
 */
import { createHash } from "node:crypto";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { Redis } from "ioredis";
import seedrandom from "seedrandom";
import { Output, paint, table } from "../sim/cli/output.ts";
import { redisServerPath, startRealRedis } from "../sim/redis/conformance/real-server.ts";
import { createSimulatedRedis } from "../sim/redis/index.ts";
import { baseState, WORKLOADS, type ScriptWorkload } from "./redis-workloads.ts";

const SIZE = 10_000;
const SCRIPT_TARGET_US = 50;
const COLLECTION_TARGET_US = 10;

interface Flags {
  samples: number;
  collectionSamples: number;
  simOnly: boolean;
  json: boolean;
}

/** One side: a command, answered (or rejected) asynchronously or not. */
type Execute = (command: string, args: string[]) => unknown;
/** Untimed writes: the real side sends them as one pipeline. */
type Prepare = (commands: Array<[string, ...string[]]>) => Promise<void> | void;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The simulated Redis answers synchronously: its calls are timed without a promise round trip. */
async function time(call: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  const result = call();
  if (result instanceof Promise) await result;
  return Number(process.hrtime.bigint() - start) / 1000;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** Median µs of the script's EVALSHA over `samples` calls, each after its own untimed setup. */
async function measureScript(workload: ScriptWorkload, execute: Execute, prepare: Prepare, samples: number): Promise<number> {
  const sha = sha1(workload.script.source);
  await execute("SCRIPT", ["LOAD", workload.script.source]);
  const warmup = Math.min(200, samples);
  const times: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    await prepare(workload.setup(i, Date.now()));
    const { keys, argv } = workload.call(i);
    let reply: unknown;
    const args = [sha, String(keys.length), ...keys, ...argv];
    const elapsed = await time(() => {
      const result = execute("EVALSHA", args);
      return result instanceof Promise ? result.then((value) => (reply = value)) : (reply = result);
    });
    if (i === 0 && !workload.worked(reply)) {
      throw new Error(`${workload.script.name}: the benchmark call did no work (reply ${JSON.stringify(reply)})`);
    }
    if (i >= warmup) times.push(elapsed);
  }
  return median(times);
}

async function measureCollections(execute: Execute, samples: number): Promise<Record<"sadd" | "sismember" | "hget", number>> {
  for (let start = 0; start < SIZE; start += 1_000) {
    const members = Array.from({ length: 1_000 }, (_, i) => `m${start + i}`);
    await execute("SADD", ["bench:set", ...members]);
    await execute("HSET", ["bench:hash", ...members.flatMap((member, i) => [`f${start + i}`, member])]);
  }
  const measure = async (call: (i: number) => unknown) => {
    for (let i = 0; i < 500; i++) await call(i);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push(await time(() => call(i)));
    return median(times);
  };
  return {
    // Half the members exist already: the set stays near 10,000 members.
    sadd: await measure((i) => execute("SADD", ["bench:set", `m${(i * 7) % (2 * SIZE)}`])),
    sismember: await measure((i) => execute("SISMEMBER", ["bench:set", `m${(i * 13) % (2 * SIZE)}`])),
    hget: await measure((i) => execute("HGET", ["bench:hash", `f${(i * 11) % SIZE}`])),
  };
}

interface SideResult {
  scripts: Record<string, number>;
  collections: Record<"sadd" | "sismember" | "hget", number>;
}

async function measureSide(execute: Execute, prepare: Prepare, flags: Flags): Promise<SideResult> {
  await prepare(baseState(Date.now()));
  const scripts: Record<string, number> = {};
  for (const workload of WORKLOADS) scripts[workload.script.name] = await measureScript(workload, execute, prepare, flags.samples);
  return { scripts, collections: await measureCollections(execute, flags.collectionSamples) };
}

async function measureSim(flags: Flags): Promise<SideResult> {
  // Scripts read TIME: the engine's clock is the wall clock, as the real server's is.
  const engine = createSimulatedRedis({ now: () => Date.now(), random: seedrandom("bench") });
  const execute: Execute = (command, args) => engine.execute(command, args);
  return measureSide(execute, (commands) => commands.forEach(([command, ...args]) => engine.execute(command, args)), flags);
}

async function measureReal(flags: Flags): Promise<SideResult> {
  const server = await startRealRedis();
  const client = new Redis(server.url);
  try {
    await client.call("FLUSHALL");
    const execute: Execute = (command, args) => client.call(command, ...args);
    const prepare: Prepare = async (commands) => {
      if (commands.length === 0) return;
      const results = await client.multi(commands.map(([command, ...args]) => ["call", command, ...args])).exec();
      const failed = results?.find(([error]) => error !== null);
      if (failed) throw failed[0];
    };
    return await measureSide(execute, prepare, flags);
  } finally {
    await client.call("FLUSHALL");
    client.disconnect();
    await server.stop();
  }
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function parse(argv: string[]): Flags {
  const program = new Command("bench:redis")
    .option("--samples <n>", "timed calls per script and side", count, 2_000)
    .option("--collection-samples <n>", "timed calls per collection command and side", count, 20_000)
    .option("--sim-only", "skip real Redis", false)
    .option("--json", 'print {"scripts":{NAME:{"sim","real"}},"collections":{...}} (µs) as the last line', false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.parse(argv, { from: "user" });
  return program.opts<Flags>();
}

const us = (value: number | null | undefined) => (value === null || value === undefined ? "-" : value.toFixed(1));

function report(out: Output, sim: SideResult, real: SideResult | null, flags: Flags): void {
  out.line(`${paint.strong("median µs per call")} (${flags.samples} calls per script, ${flags.collectionSamples} per collection command)`);
  out.line();
  const mark = (ok: boolean) => (ok ? paint.pass("✓") : paint.fail("✗"));
  const rows = [["script", "sim", "real", "sim/real", `≤ ${SCRIPT_TARGET_US} µs, ≤ ½ real`].map(paint.strong)];
  for (const { script } of WORKLOADS) {
    const s = sim.scripts[script.name] as number;
    const r = real?.scripts[script.name];
    const ratio = r === undefined ? "-" : (s / r).toFixed(2);
    const ok = s <= SCRIPT_TARGET_US && (r === undefined || s <= r / 2);
    rows.push([paint.name(script.name), us(s), us(r), ratio, mark(ok)]);
  }
  for (const line of table(rows)) out.line(`  ${line}`);
  out.line();
  const collectionRows = [["10,000 members", "sim", "real", `≤ ${COLLECTION_TARGET_US} µs`].map(paint.strong)];
  for (const name of ["sadd", "sismember", "hget"] as const) {
    collectionRows.push([paint.name(name.toUpperCase()), us(sim.collections[name]), us(real?.collections[name]), mark(sim.collections[name] <= COLLECTION_TARGET_US)]);
  }
  for (const line of table(collectionRows)) out.line(`  ${line}`);
}

async function main(argv: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const out = new Output(flags.json);
  const sim = await measureSim(flags);
  let real: SideResult | null = null;
  if (!flags.simOnly) {
    if (redisServerPath() !== null || process.env.REDIS_URL) real = await measureReal(flags);
    else out.line(paint.warn("redis-server not found (apt-get install -y redis-server, or set REDIS_URL): simulated Redis only"));
  }
  report(out, sim, real, flags);
  const scripts = Object.fromEntries(
    WORKLOADS.map(({ script }) => [script.name, { sim: round(sim.scripts[script.name] as number), real: real ? round(real.scripts[script.name] as number) : null }]),
  );
  const collections = { sadd: round(sim.collections.sadd), sismember: round(sim.collections.sismember), hget: round(sim.collections.hget) };
  out.result({ scripts, collections });
  return 0;
}

const round = (value: number) => Math.round(value * 100) / 100;

// Ctrl-C exits through process.exit, so the server started for the run is stopped with it.
process.once("SIGINT", () => process.exit(130));
process.exitCode = await main(process.argv.slice(2));
