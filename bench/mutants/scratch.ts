import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a hunt needs of the repository: the server, the harness, the scenarios, the CLI and this hunter. */
const COPIED = ["src", "sim", "scenarios", "bin", "bench/mutants", "bench/storms", "package.json", "tsconfig.json"];

/** Scratch copies still on disk, removed on the way out whatever happens. */
const live = new Set<string>();

/** A copy of `repo` under the system's temp folder, sharing its node_modules, with `patch` applied if given. */
export function makeScratch(repo: string, label: string, patch: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), `mutant-${label}-`));
  live.add(dir);
  for (const entry of COPIED) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
  if (patch !== null) execFileSync("git", ["apply", patch], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  return dir;
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

export function removeAllScratch(): void {
  for (const dir of [...live]) removeScratch(dir);
}
