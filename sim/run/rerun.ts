import { loadScenarioFile } from "../scenario/scenario-file.ts";
import type { Trace } from "../trace/trace.ts";
import { runOnce, type RunSpec } from "./run-once.ts";

/** What a re-execution may change or add: other options, decisions or schedules (shrinking), observers (reports, replay). */
export type RerunChanges = Partial<Pick<RunSpec, "options" | "decisions" | "chooser" | "observe" | "onCommand" | "lua">>;

/**
 * Runs a trace's world again (same scenario, seed, strategy and, for a scenario file, its checkers), from its
 * decision list unless `changes` says otherwise.
 */
export async function rerun(trace: Trace, changes: RerunChanges = {}): Promise<Trace> {
  const { scenario, scenarioFile, server, seed, strategy, options, decisions, stopAtFirst } = trace;
  const checkers = scenarioFile === undefined ? [] : ((await loadScenarioFile(scenarioFile)).checkers ?? []);
  return runOnce({ scenario, scenarioFile, checkers, server, seed, strategy, options, decisions, stopAtFirst, ...changes });
}
