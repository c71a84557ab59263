import { KITS } from "../../../variants/index.ts";
import type { ScriptCases } from "./case.ts";

export type { ScriptCase, ScriptCases } from "./case.ts";
export { resolveTimes } from "./values.ts";

/** Every Lua script of both servers, each with its generator of pre-states and inputs. */
export const SERVER_SCRIPT_CASES: readonly ScriptCases[] = [...KITS.legacy.scriptCases, ...KITS.fixed.scriptCases];
