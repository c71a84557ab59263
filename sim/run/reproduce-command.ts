import { findScenario } from "../../scenarios/index.ts";
import type { Trace } from "../trace/trace.ts";

/** The command that runs a traced seed again, with `--coincidence` when the run overrode its scenario's. */
export function reproduceCommand(trace: Pick<Trace, "scenario" | "server" | "strategy" | "seed" | "options">): string {
  const coincidence = trace.options.coincidence;
  const overridden = coincidence !== undefined && coincidence !== findScenario(trace.scenario)?.options.coincidence;
  return `npx sim run ${trace.scenario} --server ${trace.server} --strategy ${trace.strategy} --seed ${trace.seed} --runs 1${overridden ? ` --coincidence ${coincidence}` : ""}`;
}
