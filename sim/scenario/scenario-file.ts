import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BASE } from "../../scenarios/defaults.ts";
import { UsageError } from "../cli/exit-codes.ts";
import type { Checker } from "../oracle/checker.ts";
import { INVARIANTS, registerCheckers } from "../oracle/invariants.ts";
import { isChecker } from "../oracle/registry.ts";
import type { Scenario, WorldOptions } from "./options.ts";
import { optionsProblem } from "./validate.ts";

/** A command-line scenario argument names a file rather than a built-in scenario. */
export function isScenarioPath(argument: string): boolean {
  return argument.includes("/") || /\.(ts|js|mjs)$/.test(argument);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

/** The checkers of a scenario file, each a Checker whose name no built-in invariant has. */
function checkersOf(path: string, value: unknown): Checker[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UsageError(`${path}: checkers must be a list`);
  return value.map((checker, index) => {
    if (!isChecker(checker)) throw new UsageError(`${path}: checkers[${index}] is not a checker (name, meaning, rank, create)`);
    if (INVARIANTS.includes(checker.name)) throw new UsageError(`${path}: checker "${checker.name}" has the name of a built-in invariant`);
    return checker;
  });
}

const loaded = new Map<string, Scenario>();

/** A scenario file this process has loaded, by its absolute path. */
export function loadedScenario(file: string): Scenario | undefined {
  return loaded.get(file);
}

/**
 * A scenario module from a file, of the same shape as `scenarios/*.ts` (a default export with `name`, `summary`,
 * `options`, and optionally `provokes`, `defects`, `breaks` and `checkers`). Its options are laid over the
 * built-in defaults, so a file gives only what it changes, and checked as a trace's are. Every problem is a
 * UsageError of one line.
 */
export async function loadScenarioFile(argument: string): Promise<Scenario & { file: string }> {
  const file = resolve(argument);
  const known = loaded.get(file);
  if (known) return { ...known, file };
  if (!existsSync(file)) throw new UsageError(`no such scenario file: ${argument}`);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new UsageError(`${argument} could not be loaded: ${firstLine(error)}`);
  }
  const value = module.default;
  if (!isObject(value)) throw new UsageError(`${argument} has no scenario as its default export`);
  if (typeof value.name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(value.name)) {
    throw new UsageError(`${argument}: name must be lower-case words joined by dashes`);
  }
  if (value.summary !== undefined && typeof value.summary !== "string") throw new UsageError(`${argument}: summary must be a string`);
  if (value.options !== undefined && !isObject(value.options)) throw new UsageError(`${argument}: options must be an object`);
  const options = { ...BASE, ...(value.options ?? {}) } as WorldOptions;
  const problem = optionsProblem(options);
  if (problem !== null) throw new UsageError(`${argument}: ${problem}`);
  const checkers = checkersOf(argument, value.checkers);
  const breaks = Array.isArray(value.breaks) ? value.breaks.filter((name): name is string => typeof name === "string") : [];
  const scenario: Scenario = {
    name: value.name,
    summary: typeof value.summary === "string" ? value.summary : "",
    provokes: typeof value.provokes === "string" ? value.provokes : "",
    defects: [],
    breaks,
    options,
    checkers,
  };
  registerCheckers(checkers);
  loaded.set(file, scenario);
  return { ...scenario, file };
}
