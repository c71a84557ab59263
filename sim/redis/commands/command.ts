import type { Keyspace } from "../keyspace.ts";
import type { EngineReply } from "../reply.ts";
import type { Scripting } from "../lua/scripting.ts";
import type { RedisProcess } from "./server.ts";

/** What a command may touch: the keyspace, the engine's clock and randomness, pub/sub, scripting and its process. */
export interface CommandContext {
  readonly keys: Keyspace;
  now(): number;
  random(): number;
  /** The Redis process answering now (INFO's run_id). */
  process(): RedisProcess;
  readonly scripting: Scripting;
  /** Delivers a message to every matching subscription; returns the number of receivers. */
  publish(channel: string, message: string): number;
}

export interface CommandSpec {
  /** Redis's arity: the exact argument count including the name, or -(minimum) when variadic. */
  arity: number;
  /** Scripting and blocking commands that Redis refuses inside a script. */
  noScript?: boolean;
  run(ctx: CommandContext, args: string[]): EngineReply;
}

export type CommandTable = Record<string, CommandSpec>;

/** Uniform index in [0, size) from the engine's seeded random source. */
export function randomIndex(ctx: CommandContext, size: number): number {
  return Math.min(size - 1, Math.floor(ctx.random() * size));
}

export function isOption(arg: string, name: string): boolean {
  return arg.length === name.length && arg.toUpperCase() === name;
}
