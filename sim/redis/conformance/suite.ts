import { createHash } from "node:crypto";
import fc from "fast-check";
import seedrandom from "seedrandom";
import type { LuaScript } from "../../../src/ports/index.ts";
import type { Variant } from "../../../src/server/match-server.ts";
import { SCENARIOS } from "../../../scenarios/index.ts";
import type { Scenario } from "../../scenario/options.ts";
import { MATCH_SCRIPT } from "../../../src/legacy/scripts.ts";
import { createSimulatedRedis, type SimulatedRedis } from "../index.ts";
import type { LuaMode } from "../lua/scripting.ts";
import { formatCommand, type Command, type Outcome } from "./command.ts";
import { runIdIn, type CompareOptions } from "./compare.ts";
import { sequenceArbitrary } from "./generator.ts";
import type { IoredisClient } from "./real-client.ts";
import { executeOnSim, runSequence } from "./runner.ts";
import { SERVER_SCRIPT_CASES, resolveTimes, type ScriptCase } from "./script-cases/index.ts";
import { compareDumps, dumpKeyspace, withRunIdNamed } from "./snapshot.ts";
import { recordCommands } from "./trace-commands.ts";

/** One disagreement, with what it takes to reproduce it. */
export interface SuiteMismatch {
  part: PartName;
  seed: number;
  /** Where in the part: the sequence, script case or scenario run. */
  where: string;
  command: string;
  sim: unknown;
  real: unknown;
  reason: string;
}

export type PartName = "sequences" | "scripts" | "replay";

export interface PartResult {
  part: PartName;
  /** Commands (and script calls) run on both sides and compared. */
  commands: number;
  /** Keyspaces compared key by key after a sequence, case or replay. */
  dumps: number;
  /** Server scripts run, by name, with how often each reply kind came back. */
  scripts: Map<string, Map<string, number>>;
  mismatches: SuiteMismatch[];
  notes: string[];
}

export interface SuiteContext {
  real: IoredisClient;
  seed: number;
  timestampToleranceMs: number;
  /** Which scripting path of the simulated Redis is judged (default compiled). */
  lua?: LuaMode;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const MATCH_SHA = sha1(MATCH_SCRIPT.source);

/** Script bodies and shas by server script name, so a reported command names its script instead. */
const SCRIPT_NAME_OF = new Map<string, string>(
  SERVER_SCRIPT_CASES.flatMap(({ script }) => [
    [script.source, script.name],
    [sha1(script.source), script.name],
  ]),
);

function describeCommand(command: Command): string {
  const args = command.args.map((arg) => {
    const name = SCRIPT_NAME_OF.get(arg);
    return name === undefined ? arg : `<${name}>`;
  });
  return formatCommand({ name: command.name, args });
}

/** The legacy match script SPOPs from its KEYS[1]: its picks are random on both sides. */
function randomPop(command: Command): string | null {
  const name = command.name.toUpperCase();
  const body = command.args[0];
  const isMatch = (name === "EVAL" && body === MATCH_SCRIPT.source) || (name === "EVALSHA" && body === MATCH_SHA);
  return isMatch ? (command.args[2] ?? null) : null;
}

function compareOptions(context: SuiteContext): CompareOptions {
  return { timestampToleranceMs: context.timestampToleranceMs, randomPop };
}

/**
 * Both sides read their own wall clock, as the scripts read TIME; randomness is seeded. The engine's run_ids are
 * its own, none of the recorded runs': as the real Redis's, they differ from every run_id a replayed rollback
 * writes back, so the fixed server's scripts wipe the rolled-back state on both sides as they did in the run.
 */
function freshEngine(context: SuiteContext): SimulatedRedis {
  return createSimulatedRedis({ now: () => Date.now(), random: seedrandom(`conformance:${context.seed}`), lua: context.lua, runIdSeed: "conformance" });
}

function newPart(part: PartName): PartResult {
  return { part, commands: 0, dumps: 0, scripts: new Map(), mismatches: [], notes: [] };
}

const replyOf = (outcome: Outcome): unknown => ("reply" in outcome ? outcome.reply : null);

const printable = (outcome: Outcome): unknown =>
  JSON.parse(JSON.stringify(outcome, (_key, value: unknown) => (value instanceof Error ? `Error(${value.message})` : value)));

/** Runs the commands on a fresh engine and the flushed real Redis, then compares the keyspaces. */
async function compareRun(
  context: SuiteContext,
  result: PartResult,
  where: string,
  commands: readonly Command[],
  onOutcome?: (index: number, sim: Outcome) => void,
): Promise<void> {
  await context.real.reset();
  const engine = freshEngine(context);
  const mismatch = await runSequence(engine, context.real, commands, compareOptions(context), onOutcome);
  result.commands += mismatch === null ? commands.length : mismatch.index + 1;
  const base = { part: result.part, seed: context.seed, where };
  if (mismatch !== null) {
    result.mismatches.push({
      ...base,
      command: `${mismatch.index}: ${describeCommand(mismatch.command)}`,
      sim: printable(mismatch.sim),
      real: printable(mismatch.real),
      reason: mismatch.reason,
    });
    return;
  }
  const info: Command = { name: "INFO", args: ["server"] };
  const simRunId = runIdIn(replyOf(executeOnSim(engine, info)));
  const realRunId = runIdIn(replyOf(await context.real.execute(info)));
  const simDump = withRunIdNamed(await dumpKeyspace((command) => executeOnSim(engine, command)), simRunId);
  const realDump = withRunIdNamed(await dumpKeyspace((command) => context.real.execute(command)), realRunId);
  result.dumps++;
  const difference = compareDumps(simDump, realDump, context.timestampToleranceMs);
  if (difference !== null) {
    result.mismatches.push({
      ...base,
      command: `(keyspace after the last command) key ${JSON.stringify(difference.key)}`,
      sim: difference.sim,
      real: difference.real,
      reason: "different data",
    });
  }
}

/** (a) Generated command sequences over the servers' command set, then the resulting data. */
export async function runSequencesPart(context: SuiteContext, count: number, maxLength: number): Promise<PartResult> {
  const result = newPart("sequences");
  // Nothing here reads the clock into a reply, so large numbers are compared exactly.
  const exact = { ...context, timestampToleranceMs: 0 };
  const sequences = fc.sample(sequenceArbitrary(maxLength, context.lua), { seed: context.seed, numRuns: count });
  for (const [i, commands] of sequences.entries()) await compareRun(exact, result, `sequence ${i}`, commands);
  return result;
}

/** A reply's kind for the coverage table: a script's status word, or what failed. */
function replyKind(outcome: Outcome | undefined): string {
  if (outcome === undefined) return "not run";
  if ("error" in outcome) return `error: ${outcome.error.replace(/ script: .*$/, "").slice(0, 60)}`;
  const reply = outcome.reply;
  if (!Array.isArray(reply)) return JSON.stringify(reply);
  const word = (value: unknown) => typeof value === "string" && /^[a-z_]+$/.test(value);
  if (reply.length === 0) return "[]";
  if (!word(reply[0])) return "list";
  return word(reply[1]) ? `${reply[0]} ${reply[1]}` : (reply[0] as string);
}

function tally(result: PartResult, script: LuaScript, kind: string): void {
  const kinds = result.scripts.get(script.name) ?? new Map<string, number>();
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  result.scripts.set(script.name, kinds);
}

function scriptCommands(scriptCase: ScriptCase, now: number): Command[] {
  const { script, keys, argv } = scriptCase;
  return [
    ...scriptCase.setup.map((command) => ({ name: command.name, args: resolveTimes(command.args, now) })),
    { name: "SCRIPT", args: ["LOAD", script.source] },
    { name: "EVALSHA", args: [sha1(script.source), String(keys.length), ...keys, ...resolveTimes(argv, now)] },
  ];
}

/** (b) Every server script on random pre-states and random KEYS/ARGV: reply or error, then the data. */
export async function runScriptsPart(context: SuiteContext, casesPerScript: number): Promise<PartResult> {
  const result = newPart("scripts");
  for (const [i, { script, cases }] of SERVER_SCRIPT_CASES.entries()) {
    const samples = fc.sample(cases, { seed: context.seed + i, numRuns: casesPerScript });
    for (const [n, scriptCase] of samples.entries()) {
      const commands = scriptCommands(scriptCase, Date.now());
      let scriptOutcome: Outcome | undefined;
      await compareRun(context, result, `${script.name} case ${n}`, commands, (index, sim) => {
        if (index === commands.length - 1) scriptOutcome = sim;
      });
      tally(result, script, replyKind(scriptOutcome));
    }
  }
  return result;
}

/** (c) The Redis commands of one run of every scenario (or of those given), both servers, replayed on both sides. */
export async function runReplayPart(context: SuiteContext, limit: number, scenarios: readonly Scenario[] = SCENARIOS): Promise<PartResult> {
  const result = newPart("replay");
  for (const scenario of scenarios) {
    for (const server of ["legacy", "fixed"] as Variant[]) {
      const recorded = await recordCommands(scenario, server, context.seed, limit, context.lua);
      for (const command of recorded.commands) {
        const name = command.name.toUpperCase() === "EVAL" ? SCRIPT_NAME_OF.get(command.args[0] as string) : undefined;
        if (name !== undefined) tally(result, { name, source: "" }, "replayed");
      }
      const cut = recorded.total > recorded.commands.length ? ` (first ${recorded.commands.length} of ${recorded.total})` : "";
      result.notes.push(`${scenario.name}/${server} seed ${context.seed}: ${recorded.commands.length} commands${cut}, run ${recorded.verdict}`);
      await compareRun(context, result, `${scenario.name} ${server} seed ${context.seed}`, recorded.commands);
    }
  }
  return result;
}
