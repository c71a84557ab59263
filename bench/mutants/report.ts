import { paint, table } from "../../sim/cli/output.ts";
import type { MutantResult } from "./outcome.ts";
import type { Stage } from "./stages.ts";

export interface StageTally {
  name: string;
  /** Why it did not run, when it did not. */
  skipped: string | null;
  /** Mutants that reached it (survived every earlier stage). */
  hunted: number;
  killed: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function stageTallies(stages: readonly Stage[], skipped: ReadonlyMap<string, string>, results: readonly MutantResult[]): StageTally[] {
  const hunted = results.filter((result) => result.status !== "error");
  let left = hunted.length;
  return stages.map((stage) => {
    const killed = hunted.filter((result) => result.stage === stage.name).length;
    const tally = { name: stage.name, skipped: skipped.get(stage.name) ?? null, hunted: skipped.has(stage.name) ? 0 : left, killed };
    left -= killed;
    return tally;
  });
}

const percent = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;

function statusCell(result: MutantResult): string {
  if (result.status === "killed") return paint.pass("killed");
  if (result.status === "error") return paint.warn("error");
  return result.name === "baseline" ? paint.pass("clean") : paint.fail("survived");
}

function executedCell(result: MutantResult): string {
  if (result.executed === null) return paint.dim("no probe");
  return result.executed ? "yes" : paint.warn("never");
}

export function resultTable(results: readonly MutantResult[]): string[] {
  const rows = [["mutant", "result", "stage", "killed by (invariant signature)", "runs", "seconds", "executed"].map((cell) => paint.strong(cell))];
  for (const result of results) {
    rows.push([
      paint.name(result.name),
      statusCell(result),
      result.stage ?? "",
      result.by ?? (result.status === "error" ? (result.notes.at(-1) ?? "") : ""),
      String(result.seeds),
      result.seconds.toFixed(1),
      executedCell(result),
    ]);
  }
  return table(rows);
}

export function stageLines(tallies: readonly StageTally[], total: number): string[] {
  let cumulative = 0;
  const rows = [["stage", "hunted", "killed", "of those hunted", "killed so far"].map((cell) => paint.strong(cell))];
  for (const tally of tallies) {
    cumulative += tally.killed;
    if (tally.skipped !== null) {
      rows.push([tally.name, "", "", paint.dim(`skipped: ${tally.skipped}`), ""]);
      continue;
    }
    rows.push([tally.name, String(tally.hunted), String(tally.killed), percent(tally.killed, tally.hunted), `${cumulative}/${total} (${percent(cumulative, total)})`]);
  }
  return table(rows);
}
