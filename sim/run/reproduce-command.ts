import { isAbsolute, relative, sep } from "node:path";
import { findScenario } from "../../scenarios/index.ts";
import { loadedScenario } from "../scenario/scenario-file.ts";
import type { Trace } from "../trace/trace.ts";

/** A scenario file's path as a command typed here would name it: relative to the working directory when inside it. */
function fileArgument(file: string): string {
  const near = relative(process.cwd(), file);
  if (near === "" || near.startsWith(`..${sep}`) || isAbsolute(near)) return file;
  return `.${sep}${near}`;
}

/** The command that runs a traced seed again, with `--coincidence` when the run overrode its scenario's. */
export function reproduceCommand(trace: Pick<Trace, "scenario" | "scenarioFile" | "server" | "strategy" | "seed" | "options">): string {
  const scenario = trace.scenarioFile === undefined ? findScenario(trace.scenario) : loadedScenario(trace.scenarioFile);
  const coincidence = trace.options.coincidence;
  const overridden = coincidence !== undefined && scenario !== undefined && coincidence !== scenario.options.coincidence;
  const name = trace.scenarioFile === undefined ? trace.scenario : fileArgument(trace.scenarioFile);
  return `npx sim run ${name} --server ${trace.server} --strategy ${trace.strategy} --seed ${trace.seed} --runs 1${overridden ? ` --coincidence ${coincidence}` : ""}`;
}
