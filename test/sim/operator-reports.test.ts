import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import type { Checker } from "../../sim/oracle/checker.ts";
import type { OperatorReport } from "../../sim/oracle/world-facts.ts";
import { runOnce } from "../../sim/run/run-once.ts";

const crashes = findScenario("instance-crash")!.options;

/** A stand-in checker that keeps what the world's operator read once the world was still. */
function keeping(into: OperatorReport[]): Checker {
  return {
    name: "keeps-operator-reports",
    meaning: "nothing: it keeps the operator's reports for the test",
    rank: 1_000,
    create: (run) => ({
      atEnd() {
        into.push(...(run.options.world?.operatorReports() ?? []));
      },
    }),
  };
}

describe("the world's operator", () => {
  it("asks each instance's stats by the id the server calls itself, which a restarted instance may have kept from its predecessor", async () => {
    let checked = 0;
    for (let seed = 0; seed < 40 && checked === 0; seed++) {
      const reports: OperatorReport[] = [];
      const trace = await runOnce({ scenario: "instance-crash", server: "fixed", seed, strategy: "preempt", options: crashes, checkers: [keeping(reports)] });
      const kept = trace.steps.flatMap((step) => (step.event.kind === "fault" ? [/^(\S+) keeps the id (\S+)$/.exec(step.event.effect)] : [])).filter((match) => match !== null);
      const last = kept.at(-1);
      if (last === undefined) continue;
      const [, incarnation, serverId] = last;
      expect(reports.map((report) => report.instance)).toContain(serverId);
      expect(reports.map((report) => report.instance)).not.toContain(incarnation);
      expect(trace.violations.filter((violation) => violation.invariant === "operator-stats")).toEqual([]);
      checked++;
    }
    expect(checked).toBe(1);
  });
});
