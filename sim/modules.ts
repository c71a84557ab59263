import { readdirSync } from "node:fs";
import { assert } from "./assert.ts";

/**
 * The default exports of every module in a folder, in file-name order: the harness's registries (checkers,
 * fault kinds) are their folders, so adding one is adding a file. `accept` says what a module must export.
 */
export async function loadFolder<T>(folder: URL, accept: (value: unknown) => value is T, what: string): Promise<T[]> {
  const files = readdirSync(folder)
    .filter((file) => /\.(ts|js|mjs)$/.test(file) && !file.endsWith(".d.ts"))
    .sort();
  const loaded: T[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, folder).href)) as { default?: unknown };
    assert(accept(module.default), `${new URL(file, folder).pathname} does not export ${what} as its default`);
    loaded.push(module.default);
  }
  return loaded;
}
