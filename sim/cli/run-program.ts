import { CommanderError, type Command } from "commander";
import { ExitCode, UsageError } from "./exit-codes.ts";

/**
 * Runs a commander program to an exit status: bad usage is one line and 2, an expected failure named by
 * `explain` is one line and 3, anything else an internal error (3) with its stack. Never throws.
 */
export async function runProgram(
  name: string,
  build: (setExit: (code: number) => void) => Command,
  argv: string[],
  explain: (error: unknown) => string | null = () => null,
): Promise<number> {
  let code: number = ExitCode.ok;
  try {
    await build((value) => (code = value)).parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0
        ? ExitCode.ok
        : ExitCode.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      return ExitCode.usage;
    }
    const known = explain(error);
    if (known !== null) {
      process.stderr.write(`${name}: ${known}\n`);
      return ExitCode.internal;
    }
    process.stderr.write(`${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.internal;
  }
}
