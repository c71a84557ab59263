/**
 * Median latency per call of the simulated Redis (synchronous engine) against a real redis-server through
 * ioredis: SADD / SISMEMBER / HGET on 10,000-member collections and a 15-line script.
 *
 *   npx tsx bench/redis.ts [--samples 20000] [--sim-only]
 */
import { Redis } from "ioredis";
import seedrandom from "seedrandom";
import { createSimulatedRedis } from "../sim/redis/index.ts";
import { redisServerPath, startRealRedis } from "../test/support/redis-server.ts";

const SIZE = 10_000;
const argv = process.argv.slice(2);
const samples = Number(argv[argv.indexOf("--samples") + 1] || 20_000) || 20_000;
const simOnly = argv.includes("--sim-only");

const SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local status = redis.call('HGET', key, 'status')
if status == false then
  redis.call('HSET', key, 'status', 'loading', 'deadline', now + ttl)
  return 1
end
if status ~= 'loading' then
  return 0
end
local deadline = tonumber(redis.call('HGET', key, 'deadline'))
if deadline < now then return -1 end
return {status, string.format('%.0f', deadline)}
`;

type Call = (i: number) => unknown;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(call: Call): Promise<number> {
  for (let i = 0; i < 500; i++) await call(i);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await call(i);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return median(times);
}

function workloads(execute: (command: string, args: (string | number)[]) => unknown, sha: string): Record<string, Call> {
  return {
    "SADD (10k set)": (i) => execute("SADD", ["bench:set", `m${i % (2 * SIZE)}`]),
    "SISMEMBER (10k set)": (i) => execute("SISMEMBER", ["bench:set", `m${i % (2 * SIZE)}`]),
    "HGET (10k hash)": (i) => execute("HGET", ["bench:hash", `f${i % SIZE}`]),
    "EVALSHA (15-line script)": (i) => execute("EVALSHA", [sha, 1, `bench:session:${i % 100}`, 1_000 + i, 5_000]),
  };
}

async function populate(execute: (command: string, args: (string | number)[]) => unknown): Promise<string> {
  for (let start = 0; start < SIZE; start += 1_000) {
    const members = Array.from({ length: 1_000 }, (_, i) => `m${start + i}`);
    await execute("SADD", ["bench:set", ...members]);
    await execute("HSET", ["bench:hash", ...members.flatMap((_, i) => [`f${start + i}`, `v${start + i}`])]);
  }
  return (await execute("SCRIPT", ["LOAD", SCRIPT])) as string;
}

async function main(): Promise<void> {
  const results: Record<string, { sim: number; real?: number }> = {};

  let clock = 1_700_000_000_000;
  const engine = createSimulatedRedis({ now: () => clock++, random: seedrandom("bench") });
  const simExecute = (command: string, args: (string | number)[]) => engine.execute(command, args);
  const simSha = await populate(simExecute);
  for (const [name, call] of Object.entries(workloads(simExecute, simSha))) results[name] = { sim: await measure(call) };

  if (!simOnly && (redisServerPath() !== null || process.env.REDIS_URL)) {
    const server = await startRealRedis();
    const client = new Redis(server.url);
    try {
      await client.flushall();
      const realExecute = (command: string, args: (string | number)[]) => client.call(command, ...args);
      const realSha = await populate(realExecute);
      for (const [name, call] of Object.entries(workloads(realExecute, realSha))) {
        (results[name] as { real?: number }).real = await measure(call);
      }
    } finally {
      client.disconnect();
      await server.stop();
    }
  } else if (!simOnly) {
    console.log("redis-server not found: measuring the simulated Redis only");
  }

  console.log(`median µs per call over ${samples} calls`);
  console.log(`${"workload".padEnd(28)}${"sim".padStart(10)}${"real".padStart(10)}`);
  for (const [name, { sim, real }] of Object.entries(results)) {
    console.log(`${name.padEnd(28)}${sim.toFixed(2).padStart(10)}${(real === undefined ? "-" : real.toFixed(1)).padStart(10)}`);
  }
}

await main();
