import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assert } from "../../sim/assert.ts";

/** A mutant: one small patch of the fixed server, with what it breaks and the probes on its path. */
export interface Mutant {
  name: string;
  path: string;
  /** The one source file it changes. */
  file: string;
  breaks: string;
  /** Probes hit whenever the mutated line runs (or the branch it sits on is taken); empty when none is. */
  probes: string[];
}

export const PATCHES_DIR = new URL("./patches/", import.meta.url).pathname;

/**
 * A patch file opens with `Breaks: ...` and `Probes: a,b` lines (git apply skips text before the diff), then a
 * `git diff` of exactly one file. Names are `NN-what-it-breaks.patch`, run in that order.
 */
export function parseMutant(path: string, text: string): Mutant {
  const name = path.split("/").at(-1)?.replace(/\.patch$/, "") ?? path;
  const breaks = /^Breaks: (.+)$/m.exec(text)?.[1];
  const probes = /^Probes: ?(.*)$/m.exec(text)?.[1];
  const files = [...text.matchAll(/^diff --git a\/(\S+) b\/\S+$/gm)].map((match) => match[1] as string);
  assert(breaks !== undefined, `${name}: a "Breaks:" line saying what the mutant breaks`);
  assert(probes !== undefined, `${name}: a "Probes:" line (empty when no probe sits on the mutated path)`);
  assert(files.length === 1, `${name}: a diff of exactly one file (got ${files.length})`);
  return {
    name,
    path,
    file: files[0] as string,
    breaks,
    probes: probes
      .split(",")
      .map((probe) => probe.trim())
      .filter((probe) => probe !== ""),
  };
}

export function readMutants(dir = PATCHES_DIR): Mutant[] {
  return readdirSync(dir)
    .filter((entry) => /^\d\d-[a-z0-9-]+\.patch$/.test(entry))
    .sort()
    .map((entry) => parseMutant(join(dir, entry), readFileSync(join(dir, entry), "utf8")));
}
