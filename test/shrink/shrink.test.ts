import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { rosterOf } from "../../sim/players/roster.ts";
import { rerun } from "../../sim/run/rerun.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { ReplayStrategy } from "../../sim/scheduler/strategies/index.ts";
import { ddmin } from "../../sim/shrink/ddmin.ts";
import { GuidedStrategy, NamingStrategy } from "../../sim/shrink/guided.ts";
import { fewerMachines, withBehaviours, withPlayers } from "../../sim/shrink/reductions.ts";
import { shrinkTrace } from "../../sim/shrink/shrink.ts";
import { signatureOf } from "../../sim/signature/signature.ts";
import type { Trace } from "../../sim/trace/trace.ts";

async function firstLegacyFailure(name: string): Promise<Trace> {
  const scenario = findScenario(name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  for (let seed = 0; seed < 100; seed++) {
    const trace = await runOnce({ scenario: name, server: "legacy", seed, strategy: "preempt", options: scenario.options });
    if (trace.verdict === "fail") return trace;
  }
  throw new Error(`${name} did not fail on legacy`);
}

describe("ddmin", () => {
  const fails = (needed: number[]) => async (subset: number[]) => needed.every((item) => subset.includes(item));
  const always = () => true;

  it("finds the items a failure needs among many, whatever their places", async () => {
    const items = Array.from({ length: 200 }, (_, i) => i);
    expect(await ddmin(items, fails([17]), always)).toEqual([17]);
    expect(await ddmin(items, fails([3, 150, 199]), always)).toEqual([3, 150, 199]);
  });

  it("asks about halves first and never about the whole list or an empty one", async () => {
    const asked: number[][] = [];
    await ddmin([0, 1, 2, 3, 4, 5, 6, 7], async (subset) => {
      asked.push(subset);
      return subset.includes(6);
    }, always);
    expect(asked[0]).toEqual([0, 1, 2, 3]);
    expect(asked[1]).toEqual([4, 5, 6, 7]);
    expect(asked.every((subset) => subset.length > 0 && subset.length < 8)).toBe(true);
  });

  it("stops with what it has when the budget runs out", async () => {
    let left = 3;
    const kept = await ddmin(Array.from({ length: 64 }, (_, i) => i), fails([40]), () => left-- > 0);
    expect(kept).toContain(40);
    expect(kept.length).toBeGreaterThan(1);
  });
});

describe("world reductions", () => {
  const swarm = findScenario("swarm")!;
  const run = { scenario: "swarm", seed: 3, options: swarm.options };

  it("keeps every remaining player who it was: id, game mode and behaviour", () => {
    const all = rosterOf(run);
    const malformed = swarm.options.players.lastIndexOf("malformed-frames");
    expect(malformed).toBeGreaterThan(17);
    const kept = [5, 17, malformed];
    const smaller = rosterOf({ ...run, options: withPlayers(swarm.options, kept) });
    expect(smaller.map((entry) => [entry.id, entry.mode, entry.behaviour, entry.joinAfterMs])).toEqual(
      kept.map((index) => [all[index]?.id, all[index]?.mode, all[index]?.behaviour, all[index]?.joinAfterMs]),
    );
    expect(smaller.some((entry) => entry.id === `player-${malformed + 1}`)).toBe(true);
  });

  it("makes behaviours normal, all but the kept ones", () => {
    const options = withBehaviours(swarm.options, [100]);
    expect(options.players[100]).toBe(swarm.options.players[100]);
    expect(options.players.filter((behaviour) => behaviour !== "normal")).toHaveLength(1);
  });

  it("offers no dedicated server at all before fewer ones, and always keeps an instance", () => {
    expect(fewerMachines({ ...swarm.options, instances: 3, servers: 60 }).map((o) => [o.instances, o.servers])).toEqual([
      [1, 60],
      [2, 60],
      [3, 0],
      [3, 30],
      [3, 59],
    ]);
    expect(fewerMachines({ ...swarm.options, instances: 1, servers: 0 })).toEqual([]);
  });
});

describe("schedules by descent", () => {
  it("a run guided by a run's own order is that run again, step for step", async () => {
    const trace = await firstLegacyFailure("cancel-vs-complete");
    const naming = new NamingStrategy(new ReplayStrategy(trace.decisions));
    await rerun(trace, { chooser: naming });
    // One name per step the strategy chose; a fault by choice is the fault chooser's, not the strategy's.
    const chosenByStrategy = trace.steps.filter((step) => !(step.event.kind === "fault" && step.event.note.endsWith("by choice")));
    expect(naming.order).toHaveLength(chosenByStrategy.length);
    const again = await rerun(trace, { chooser: new GuidedStrategy(naming.order) });
    expect(again.hash).toBe(trace.hash);
  });
});

describe("shrinkTrace", () => {
  it("shrinks a legacy cancel-vs-complete failure to its two players, keeping its signature, and the result replays", async () => {
    const trace = await firstLegacyFailure("cancel-vs-complete");
    // The bug the scenario is for (legacy's set-shaped queue also breaks queue-order, which needs three players).
    const breaks = findScenario("cancel-vs-complete")!.breaks;
    const violation = trace.violations.find((each) => breaks.includes(each.invariant) && each.invariant !== "queue-order")!;
    const { shrunk, signature, violation: kept } = await shrinkTrace(trace, { budgetMs: 20_000, maxRuns: 400 }, violation);
    expect(signature.id).toBe(signatureOf(trace, violation).id);
    expect(signatureOf(shrunk, kept).id).toBe(signature.id);
    expect(shrunk.options.players.length).toBeLessThanOrEqual(2);
    expect(shrunk.steps.length).toBeLessThan(trace.steps.length);
    expect((await rerun(shrunk)).hash).toBe(shrunk.hash);
  });
});
