import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { isLogLevel } from "../adapters/json-logger.ts";
import type { LogLevel } from "../ports/index.ts";
import { VARIANTS, type Variant } from "../server/match-server.ts";

/** Exit status for bad usage or input, as `sim` uses too. */
export const EXIT_USAGE = 2;

export function variantOption(text: string): Variant {
  if (!(VARIANTS as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`expected one of ${VARIANTS.join(", ")}`);
  }
  return text as Variant;
}

export function portOption(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError("expected a port number (0 picks a free one)");
  return port;
}

export function nonNegativeIntegerOption(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError("expected a non-negative integer");
  return Number(text);
}

export function positiveIntegerOption(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) === 0) throw new InvalidArgumentError("expected a positive integer");
  return Number(text);
}

export function probabilityOption(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value >= 0 && value <= 1)) throw new InvalidArgumentError("expected a number from 0 to 1");
  return value;
}

export function logLevelOption(text: string): LogLevel {
  if (!isLogLevel(text)) throw new InvalidArgumentError("expected debug, info, warn or error");
  return text;
}

/** Unique per process, readable in logs: which host and process an instance is, plus a few random bits. */
export function processInstanceId(prefix: string): string {
  return `${prefix}-${hostname()}-${process.pid}-${randomBytes(2).toString("hex")}`;
}

/**
 * A program whose usage errors exit with EXIT_USAGE (commander alone would use 1, which here means a
 * failure). Subcommands inherit this when they are added after it, so build them on this program.
 */
export function cliProgram(name: string, description: string): Command {
  return new Command(name).description(description).exitOverride();
}

/** Exit status of a process that failed for a reason no flag explains (a bug): one line, never a stack. */
export const EXIT_FAILURE = 1;

/** Parses argv and runs the chosen action; help and version exit 0, usage errors EXIT_USAGE. */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
    process.stderr.write(`${program.name()}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  }
}

/** Prints one line naming the program and what is wrong, and exits EXIT_USAGE. */
export function refuse(program: string, problem: string): never {
  process.stderr.write(`${program}: ${problem}\n`);
  process.exit(EXIT_USAGE);
}

/** However Redis and clients behave, a stopping process is gone this long after the signal. */
export const SHUTDOWN_LIMIT_MS = 1_800;

/**
 * Runs `stop` once on the first SIGTERM or SIGINT; a second signal while stopping exits at once, and so does
 * `forced` once SHUTDOWN_LIMIT_MS have passed.
 */
export function onShutdownSignal(stop: (signal: string) => Promise<void>, forced: () => void): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      setTimeout(forced, SHUTDOWN_LIMIT_MS).unref();
      void stop(signal);
    });
  }
}

/** Resolves with `work`'s value, or with `fallback` once `ms` have passed. */
export async function within<T>(ms: number, work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
