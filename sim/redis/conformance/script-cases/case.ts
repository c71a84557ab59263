import type fc from "fast-check";
import type { LuaScript } from "../../../../src/ports/index.ts";
import type { Command } from "../command.ts";

/** One server script run: a pre-state written first, then the script with these KEYS and ARGV. */
export interface ScriptCase {
  script: LuaScript;
  setup: Command[];
  keys: string[];
  argv: string[];
}

/** A script and its generator of cases. */
export interface ScriptCases {
  script: LuaScript;
  cases: fc.Arbitrary<ScriptCase>;
}
