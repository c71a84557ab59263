import { RedisCommandError, type SimulatedRedis } from "../contract.ts";
import { formatCommand, type Command, type Outcome } from "./command.ts";
import { compareOutcomes, poppedSet, type CompareOptions } from "./compare.ts";

/** A real Redis as the runner needs it: one command, its outcome. Adapt ioredis's `call` to this. */
export interface RealRedis {
  execute(command: Command): Promise<Outcome>;
}

export interface Mismatch {
  index: number;
  command: Command;
  sim: Outcome;
  real: Outcome;
  reason: string;
}

export function describeMismatch(commands: readonly Command[], mismatch: Mismatch): string {
  const history = commands.slice(0, mismatch.index + 1).map((c, i) => `  ${i}: ${formatCommand(c)}`);
  return [
    `mismatch at command ${mismatch.index}: ${mismatch.reason}`,
    `  sim:  ${JSON.stringify(mismatch.sim)}`,
    `  real: ${JSON.stringify(mismatch.real, (_k, v) => (v instanceof Error ? `Error(${v.message})` : v))}`,
    "sequence:",
    ...history,
  ].join("\n");
}

export function executeOnSim(engine: SimulatedRedis, command: Command): Outcome {
  try {
    return { reply: engine.execute(command.name, command.args) };
  } catch (error) {
    if (error instanceof RedisCommandError) return { error: error.message };
    throw error;
  }
}

/**
 * SPOP (or a script calling it) removes random members, so the two sides diverge. After comparing sizes,
 * the simulated set is made to lose exactly what the real one lost, and the sequence goes on from
 * identical states.
 */
function reconcile(engine: SimulatedRedis, command: Command, sim: Outcome, real: Outcome, options: CompareOptions): void {
  const key = poppedSet(command, options);
  if (key === null || !("reply" in sim) || !("reply" in real)) return;
  const simPopped = sim.reply === null ? [] : Array.isArray(sim.reply) ? (sim.reply as string[]) : [sim.reply as string];
  const realPopped =
    real.reply === null ? [] : Array.isArray(real.reply) ? (real.reply as string[]) : [real.reply as string];
  if (simPopped.length > 0) engine.execute("SADD", [key, ...simPopped]);
  if (realPopped.length > 0) engine.execute("SREM", [key, ...realPopped]);
}

/** Runs the sequence on both sides (the real one already flushed) and returns the first disagreement. */
export async function runSequence(
  engine: SimulatedRedis,
  real: RealRedis,
  commands: readonly Command[],
  options: CompareOptions = {},
  onOutcome?: (index: number, sim: Outcome, real: Outcome) => void,
): Promise<Mismatch | null> {
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index] as Command;
    const simOutcome = executeOnSim(engine, command);
    const realOutcome = await real.execute(command);
    onOutcome?.(index, simOutcome, realOutcome);
    const reason = compareOutcomes(command, simOutcome, realOutcome, options);
    if (reason !== null) return { index, command, sim: simOutcome, real: realOutcome, reason };
    reconcile(engine, command, simOutcome, realOutcome, options);
  }
  return null;
}
