import { readFileSync } from "node:fs";
import { VARIANTS } from "../../src/server/match-server.ts";
import { UsageError } from "../cli/exit-codes.ts";
import { optionsProblem } from "../scenario/validate.ts";
import { RECORDED_STRATEGIES } from "../scheduler/strategy.ts";
import { STEP_KINDS } from "./events.ts";
import { TRACE_FORMAT, type Trace } from "./trace.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

const FORMAT_PREFIX = "match-race-sim/trace@";

function stepsProblem(steps: unknown): string | null {
  if (!Array.isArray(steps)) return "steps is missing";
  const bad = steps.findIndex(
    (step) =>
      !isObject(step) ||
      !isCount(step.i) ||
      !isCount(step.id) ||
      !(step.cause === null || isCount(step.cause)) ||
      typeof step.t !== "number" ||
      typeof step.lane !== "string" ||
      !isObject(step.event) ||
      !(STEP_KINDS as readonly unknown[]).includes(step.event.kind),
  );
  return bad < 0 ? null : `step ${bad} is not a step with an event`;
}

/**
 * Reads a trace file written by `sim run`, `sim fuzz` or `sim shrink`. A missing, truncated, foreign or
 * other-format file is a UsageError with one line saying which, never a stack trace.
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
  if (!isObject(value) || typeof value.format !== "string" || !value.format.startsWith(FORMAT_PREFIX)) {
    throw new UsageError(`${path} is not a ${TRACE_FORMAT} trace`);
  }
  if (value.format !== TRACE_FORMAT) {
    throw new UsageError(
      `${path} was recorded with format ${value.format.slice(FORMAT_PREFIX.length)}; this version reads format ${TRACE_FORMAT.slice(FORMAT_PREFIX.length)} (run the seed again to record it anew)`,
    );
  }
  const problems: string[] = [];
  if (typeof value.scenario !== "string") problems.push("scenario is missing");
  if (value.scenarioFile !== undefined && typeof value.scenarioFile !== "string") problems.push("scenarioFile is not a path");
  if (!(VARIANTS as readonly unknown[]).includes(value.server)) problems.push("server is not legacy or fixed");
  if (!isCount(value.seed)) problems.push("seed is not a whole number");
  if (!(RECORDED_STRATEGIES as readonly unknown[]).includes(value.strategy)) problems.push("strategy is unknown");
  if (typeof value.stopAtFirst !== "boolean") problems.push("stopAtFirst is missing");
  if (!Array.isArray(value.decisions) || !value.decisions.every(isCount)) problems.push("decisions is not a list of step ids");
  const steps = stepsProblem(value.steps);
  if (steps) problems.push(steps);
  if (!Array.isArray(value.violations)) problems.push("violations is missing");
  if (!isObject(value.revision) || typeof value.revision.code !== "string") problems.push("revision is missing");
  if (typeof value.hash !== "string" || !/^[0-9a-f]{64}$/.test(value.hash)) problems.push("hash is missing");
  const options = optionsProblem(value.options);
  if (options) problems.push(options);
  if (problems.length > 0) throw new UsageError(`${path} is not a valid trace: ${problems.join("; ")}`);
  return value as unknown as Trace;
}
