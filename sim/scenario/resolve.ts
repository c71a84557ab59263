import { findScenario, SCENARIOS } from "../../scenarios/index.ts";
import { UsageError } from "../cli/exit-codes.ts";
import type { Scenario } from "./options.ts";
import { isScenarioPath, loadScenarioFile } from "./scenario-file.ts";
import { SWARM_WORLD, swarmScenario } from "./swarm-world.ts";

/** A scenario to run: a built-in one, or one from a file (`file` says where). */
export type ResolvedScenario = Scenario & { file?: string };

/**
 * A built-in scenario by name, a scenario module by path, or the swarm world drawn from `seed`; a UsageError of
 * one line when none.
 */
export async function resolveScenario(argument: string, seed = 0): Promise<ResolvedScenario> {
  if (isScenarioPath(argument)) return loadScenarioFile(argument);
  if (argument === SWARM_WORLD) return swarmScenario(seed);
  const scenario = findScenario(argument);
  if (!scenario) {
    throw new UsageError(`unknown scenario "${argument}" (known: ${[...SCENARIOS.map((s) => s.name), SWARM_WORLD].join(", ")}; or a path to a scenario file)`);
  }
  return scenario;
}
