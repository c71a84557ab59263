import { readFileSync } from "node:fs";
import { VARIANTS } from "../../src/server/match-server.ts";
import { UsageError } from "../cli/exit-codes.ts";
import type { WorldOptions } from "../scenario/options.ts";
import { STRATEGIES } from "../scheduler/strategy.ts";
import { BEHAVIOURS } from "../players/behaviour.ts";
import { TRACE_FORMAT, type Trace } from "./trace.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

function checkOptions(options: unknown): string | null {
  if (!isObject(options)) return "options is not an object";
  for (const key of ["instances", "servers", "joinWindowMs", "timeGridMs", "raceWindowMs", "activeMs", "settleMs", "maxSettleMs", "maxSteps", "pctDepth", "pctHorizon"]) {
    if (!isCount(options[key])) return `options.${key} is not a whole number`;
  }
  if (options.coincidence !== undefined && !(typeof options.coincidence === "number" && options.coincidence >= 0 && options.coincidence <= 1)) {
    return "options.coincidence is not a probability";
  }
  if ((options.instances as number) < 1) return "options.instances must be at least 1";
  const players = options.players;
  if (!Array.isArray(players) || !players.every((p) => (BEHAVIOURS as readonly unknown[]).includes(p))) {
    return "options.players is not a list of behaviours";
  }
  if (!isObject(options.config) || !isObject(options.faults) || !isObject(options.events)) {
    return "options.config, options.faults and options.events must be objects";
  }
  for (const [key, value] of Object.entries(options.faults)) {
    if (typeof value !== "number" || value < 0 || value > 1) return `options.faults.${key} is not a probability`;
  }
  for (const [key, value] of Object.entries(options.events)) if (!isCount(value)) return `options.events.${key} is not a whole number`;
  return null;
}

/**
 * Reads a trace file written by `sim run`, `sim fuzz` or `sim shrink`. A missing, truncated or foreign file is a
 * UsageError with one line saying which, never a stack trace.
 */
export function loadTrace(path: string): Trace {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `no such trace file: ${path}` : `cannot read ${path}: ${code ?? String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not a complete JSON document (truncated or not a trace)`);
  }
  if (!isObject(value) || value.format !== TRACE_FORMAT) {
    throw new UsageError(`${path} is not a ${TRACE_FORMAT} trace`);
  }
  const problems: string[] = [];
  if (typeof value.scenario !== "string") problems.push("scenario is missing");
  if (!(VARIANTS as readonly unknown[]).includes(value.server)) problems.push("server is not legacy or fixed");
  if (!isCount(value.seed)) problems.push("seed is not a whole number");
  if (!(STRATEGIES as readonly unknown[]).includes(value.strategy)) problems.push("strategy is unknown");
  if (!Array.isArray(value.decisions) || !value.decisions.every(isCount)) problems.push("decisions is not a list of step ids");
  if (!Array.isArray(value.steps)) problems.push("steps is missing");
  if (!Array.isArray(value.violations)) problems.push("violations is missing");
  if (typeof value.hash !== "string" || !/^[0-9a-f]{64}$/.test(value.hash)) problems.push("hash is missing");
  const optionsProblem = checkOptions(value.options);
  if (optionsProblem) problems.push(optionsProblem);
  if (problems.length > 0) throw new UsageError(`${path} is not a valid trace: ${problems.join("; ")}`);
  return value as unknown as Trace & { options: WorldOptions };
}
