import { isAbsolute, relative, sep } from "node:path";
import { findScenario } from "../../scenarios/index.ts";
import { loadedScenario } from "../scenario/scenario-file.ts";
import type { WorldOptions } from "../scenario/options.ts";
import { SWARM_WORLD, swarmScenario } from "../scenario/swarm-world.ts";
import type { Trace } from "../trace/trace.ts";

/** A scenario file's path as a command typed here would name it: relative to the working directory when inside it. */
function fileArgument(file: string): string {
  const near = relative(process.cwd(), file);
  if (near === "" || near.startsWith(`..${sep}`) || isAbsolute(near)) return file;
  return `.${sep}${near}`;
}

/** The `--fault-choices P` that gives these choices, when they are not the scenario's own; "" when they are. */
function choicesFlag(choices: WorldOptions["choices"], own: WorldOptions["choices"]): string {
  if (JSON.stringify(choices ?? {}) === JSON.stringify(own ?? {})) return "";
  const probabilities = new Set(Object.values(choices ?? {}));
  return ` --fault-choices ${probabilities.size === 1 ? [...probabilities][0] : 0}`;
}

/**
 * The command that runs a traced seed again, with `--coincidence` and `--fault-choices` when the run overrode
 * its scenario's, and `--stop-at-first` when the run stopped there.
 */
export function reproduceCommand(trace: Pick<Trace, "scenario" | "scenarioFile" | "server" | "strategy" | "seed" | "options" | "stopAtFirst">): string {
  const scenario =
    trace.scenarioFile !== undefined ? loadedScenario(trace.scenarioFile) : trace.scenario === SWARM_WORLD ? swarmScenario(trace.seed) : findScenario(trace.scenario);
  const coincidence = trace.options.coincidence;
  const overridden = coincidence !== undefined && scenario !== undefined && coincidence !== scenario.options.coincidence;
  const name = trace.scenarioFile === undefined ? trace.scenario : fileArgument(trace.scenarioFile);
  const choices = scenario === undefined ? "" : choicesFlag(trace.options.choices, scenario.options.choices);
  return (
    `npx sim run ${name} --server ${trace.server} --strategy ${trace.strategy} --seed ${trace.seed} --runs 1` +
    `${overridden ? ` --coincidence ${coincidence}` : ""}${choices}${trace.stopAtFirst ? " --stop-at-first" : ""}`
  );
}
