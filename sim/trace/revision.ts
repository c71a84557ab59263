import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CodeRevision } from "./trace.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** What a run's behaviour depends on: the server, the harness, the scenarios (Lua scripts live in src/). */
const SOURCE_FOLDERS = ["src", "sim", "scenarios"];
const SOURCE_FILE = /\.(ts|mjs|js|lua)$/;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

function codeHash(): string {
  const hash = createHash("sha256");
  const files = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder))).sort();
  for (const file of files) hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** The commit checked out, `+dirty` when the sources differ from it; null outside a git checkout. */
function gitRevision(): string | null {
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    const commit = git("rev-parse", "HEAD");
    const dirty = git("status", "--porcelain", "--", ...SOURCE_FOLDERS) !== "";
    return dirty ? `${commit}+dirty` : commit;
  } catch {
    return null;
  }
}

let current: CodeRevision | null = null;

/** The code this process runs, computed once (it reads every source file). */
export function codeRevision(): CodeRevision {
  current ??= { code: codeHash(), git: gitRevision() };
  return current;
}

/** "code 1a2b3c4d5e6f7a8b (git 0123abcd)": a revision in a few words. */
export function describeRevision(revision: CodeRevision): string {
  return `code ${revision.code}${revision.git === null ? "" : ` (git ${revision.git.slice(0, 12)}${revision.git.endsWith("+dirty") ? "+dirty" : ""})`}`;
}
