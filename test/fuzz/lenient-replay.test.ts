import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { BY_CHOICE } from "../../sim/faults/choices.ts";
import { rerun } from "../../sim/run/rerun.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { Rng } from "../../sim/random/rng.ts";
import { NO_FAULTS_CHOSEN } from "../../sim/scheduler/fault-chooser.ts";
import { ANY_FAULT, LenientReplayStrategy } from "../../sim/scheduler/strategies/lenient-replay.ts";
import { ReplayStrategy } from "../../sim/scheduler/strategies/replay.ts";
import type { Step } from "../../sim/scheduler/step.ts";
import { NonDeterminismError } from "../../sim/scheduler/strategy.ts";
import type { Trace } from "../../sim/trace/trace.ts";

const options = findScenario("cancel-vs-complete")!.options;
const run = (seed: number, extra: { decisions?: number[]; lenient?: string } = {}) =>
  runOnce({ scenario: "cancel-vs-complete", server: "fixed", seed, strategy: "preempt", options, ...extra });
const strikes = (trace: Trace) => trace.steps.filter((step) => step.event.kind === "fault" && step.event.note.endsWith(BY_CHOICE)).length;

describe("a decision list followed leniently", () => {
  it("is the recorded run when it fits: same hash", async () => {
    const recorded = await run(3);
    const again = await run(3, { decisions: recorded.decisions, lenient: "x" });
    expect(again.hash).toBe(recorded.hash);
  });

  it("goes on with the strategy where a strict replay fails, and its trace then replays strictly", async () => {
    const recorded = await run(3);
    const broken = [...recorded.decisions.slice(0, 20), 999_999, ...recorded.decisions.slice(21)];
    await expect(run(3, { decisions: broken })).rejects.toThrow(NonDeterminismError);
    const lenient = await run(3, { decisions: broken, lenient: "x" });
    expect(lenient.verdict).toBe("pass");
    expect(lenient.decisions.slice(0, 20)).toEqual(recorded.decisions.slice(0, 20));
    expect((await rerun(lenient)).hash).toBe(lenient.hash);
  });

  it("re-decides past its end with the strategy on a stream of its salt: other salts, other runs", async () => {
    const recorded = await run(5);
    const prefix = recorded.decisions.slice(0, 10);
    const hashes = new Set<string>();
    for (const salt of ["a", "b", "c", "d"]) hashes.add((await run(5, { decisions: prefix, lenient: salt })).hash);
    expect(hashes.size).toBeGreaterThan(1);
    expect((await run(5, { decisions: prefix, lenient: "a" })).hash).toBe((await run(5, { decisions: prefix, lenient: "a" })).hash);
  });

  it("strikes a fault on offer where the list says any fault", async () => {
    const withChoices = { ...options, choices: { crash: 1 } };
    const runWith = (seed: number, extra: { decisions?: number[]; lenient?: string } = {}) =>
      runOnce({ scenario: "cancel-vs-complete", server: "fixed", seed, strategy: "preempt", options: withChoices, ...extra });
    let seed = 0;
    let recorded = await runWith(seed);
    while (strikes(recorded) === 0 && seed < 50) recorded = await runWith(++seed);
    const at = recorded.steps.findIndex((step) => step.event.kind === "fault" && step.event.note.endsWith(BY_CHOICE));
    expect(at).toBeGreaterThanOrEqual(0);
    // The list without the strike: the step it took is decided by the list's next entries instead.
    const without = recorded.decisions.filter((_, i) => i !== at);
    const quiet = await runWith(seed, { decisions: without, lenient: "x" });
    expect(quiet.steps[at]?.event.kind).not.toBe("fault");
    const added = await runWith(seed, { decisions: [...without.slice(0, at), ANY_FAULT, ...without.slice(at)], lenient: "x" });
    expect(added.steps[at]?.event).toMatchObject({ kind: "fault", fault: "crash" });
  });

  it("strikes any of the faults on offer where the list says any fault, by its stream: not always the oldest", () => {
    const offered = [1, 2, 3].map((id) => ({ id }) as unknown as Step);
    const struck = (salt: string) => new LenientReplayStrategy([ANY_FAULT], new ReplayStrategy([]), new Rng(salt)).faults(NO_FAULTS_CHOSEN).chooseFault(offered, 0, [])?.id;
    const picks = ["a", "b", "c", "d", "e", "f", "g", "h"].map(struck);
    expect(new Set(picks).size).toBeGreaterThan(1);
    expect(picks.every((id) => id !== undefined && [1, 2, 3].includes(id))).toBe(true);
    expect(struck("a")).toBe(picks[0]);
  });
});
