import { findScenario, SCENARIOS } from "../../scenarios/index.ts";
import { UsageError } from "../cli/exit-codes.ts";
import type { Scenario } from "./options.ts";
import { isScenarioPath, loadScenarioFile } from "./scenario-file.ts";

/** A scenario to run: a built-in one, or one from a file (`file` says where). */
export type ResolvedScenario = Scenario & { file?: string };

/** A built-in scenario by name, or a scenario module by path; a UsageError of one line when neither. */
export async function resolveScenario(argument: string): Promise<ResolvedScenario> {
  if (isScenarioPath(argument)) return loadScenarioFile(argument);
  const scenario = findScenario(argument);
  if (!scenario) {
    throw new UsageError(`unknown scenario "${argument}" (known: ${SCENARIOS.map((s) => s.name).join(", ")}; or a path to a scenario file)`);
  }
  return scenario;
}
