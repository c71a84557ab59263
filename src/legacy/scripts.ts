import { readFileSync } from "node:fs";
import type { LuaScript } from "../ports/index.ts";

function load(name: string, file: string): LuaScript {
  return { name, source: readFileSync(new URL(`./scripts/${file}`, import.meta.url), "utf8") };
}

/** SPOP exactly the required number of players, or nobody. */
export const MATCH_SCRIPT = load("legacy_match", "match.lua");
/** Marks one player ready; the call that sees everyone ready deletes the session and returns [mode, ...players]. */
export const LOADING_COMPLETE_SCRIPT = load("legacy_loading_complete", "loading-complete.lua");
/** Compare-and-delete on the lock token. */
export const RELEASE_LOCK_SCRIPT = load("legacy_release_lock", "release-lock.lua");
