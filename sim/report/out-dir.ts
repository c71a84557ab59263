import { accessSync, constants, mkdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "../cli/exit-codes.ts";

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is not a directory",
  ENOENT: "cannot be created there",
  ENOSPC: "no space left on the device",
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return REASONS[code] ?? code ?? String(error);
}

/**
 * Makes sure `dir` is a directory reports can be written into, before any run: creates the missing folders one
 * level at a time (a recursive mkdir can loop for ever under /proc) and writes and removes a probe file. Any
 * problem is a UsageError of one line naming the flag.
 */
export function prepareOutDir(dir: string, flag = "--out"): string {
  const target = resolve(dir);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) throw new UsageError(`${flag} ${dir}: ${existing} is not a directory`);
      break;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new UsageError(`${flag} ${dir}: ${reason(error)}`);
      const parent = dirname(existing);
      if (parent === existing) throw new UsageError(`${flag} ${dir}: no part of the path exists`);
      missing.unshift(existing);
      existing = parent;
    }
  }
  try {
    accessSync(existing, constants.W_OK);
    for (const folder of missing) mkdirSync(folder);
    const probe = join(target, `.sim-write-check-${process.pid}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (error) {
    throw new UsageError(`${flag} ${dir}: ${reason(error)}`);
  }
  return target;
}
