import type { Mutant } from "./patches.ts";
import type { MutantResult, StageOutcome } from "./outcome.ts";
import { makeScratch, removeScratch } from "./scratch.ts";
import { runStage, type Stage } from "./stages.ts";

/** What the runner hunts: a mutant, or the unmutated server (the baseline, which must survive every stage). */
export type Target = Omit<Mutant, "path"> & { path: string | null };

export const BASELINE: Target = { name: "baseline", path: null, file: "(no mutant)", breaks: "nothing: the fixed server as it is", probes: [] };

/**
 * Hunts one target in a scratch copy of `repo`, stage after stage until one kills it. A stage `supported`
 * rules out (its flag missing from this checkout's sim fuzz) is not run. The copy is removed afterwards.
 */
export async function huntTarget(repo: string, target: Target, stages: readonly Stage[], budgetS: number): Promise<MutantResult> {
  const result: MutantResult = { name: target.name, file: target.file, breaks: target.breaks, status: "survived", stage: null, by: null, seeds: 0, seconds: 0, executed: null, notes: [] };
  const hits: Record<string, number> = {};
  let dir: string | null = null;
  try {
    dir = makeScratch(repo, target.name, target.path);
    for (const stage of stages) {
      const outcome: StageOutcome = await runStage(dir, stage, budgetS);
      result.seeds += outcome.runs;
      result.seconds += outcome.seconds;
      for (const probe of target.probes) hits[probe] = (hits[probe] ?? 0) + (outcome.coverage[probe] ?? 0);
      if (outcome.short !== null) result.notes.push(outcome.short);
      if (outcome.kill !== null) {
        const { kill } = outcome;
        Object.assign(result, { status: "killed", stage: stage.name, by: `${kill.invariant} ${kill.signature}` });
        result.notes.push(`killed in ${kill.scenario} seed ${kill.seed}: ${kill.summary}`);
        break;
      }
    }
  } catch (error) {
    result.status = "error";
    result.notes.push((error as Error).message.split("\n")[0] ?? "");
  } finally {
    if (dir !== null) removeScratch(dir);
  }
  if (target.probes.length > 0) result.executed = target.probes.some((probe) => (hits[probe] ?? 0) > 0);
  result.seconds = Math.round(result.seconds * 10) / 10;
  return result;
}
