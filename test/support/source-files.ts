import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every `.ts` file under `dir`, at any depth. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Comments may name what they avoid; only code counts. */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/**
 * Every code line (comments left out) of the files not under an exempt prefix that matches one of the named
 * patterns, as `path:line <name>: <line>`: what a source rule test reports.
 */
export function ruleBreaches(
  files: ReadonlyArray<{ path: string; text: string }>,
  exempt: readonly string[],
  patterns: ReadonlyArray<[name: string, pattern: RegExp]>,
): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    if (exempt.some((prefix) => path.startsWith(prefix))) continue;
    withoutComments(text)
      .split("\n")
      .forEach((line, index) => {
        for (const [name, pattern] of patterns) if (pattern.test(line)) found.push(`${path}:${index + 1} ${name}: ${line.trim()}`);
      });
  }
  return found;
}
