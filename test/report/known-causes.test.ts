import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nameCause } from "../../sim/report/cause.ts";
import { violationStory } from "../../sim/report/explain.ts";
import { involvement } from "../../sim/report/involvement.ts";
import { TraceGraph } from "../../sim/report/trace-graph.ts";
import type { Trace } from "../../sim/trace/trace.ts";
import { findScenario } from "../../scenarios/index.ts";
import { firstFailure } from "./fixtures.ts";

/**
 * A shrunk swarm failure of a fixed server with a bug planted in a scratch copy (never committed): the leave
 * script cancels an allocating session without putting its other members back in the queue. The player who
 * stayed believes it is loading a session that no longer exists; the cause is its partner's close, and the
 * leave it led to while the session was allocating. The trace is read, never replayed (the code it ran on is
 * not this one).
 */
const planted = JSON.parse(readFileSync(new URL("./fixtures/planted-leave-during-allocation.trace.json", import.meta.url), "utf8")) as Trace;

describe("the cause of a failure whose cause is known", () => {
  it("planted bug: the partner who left during allocation is involved, and the story tells its close and its leave", () => {
    const violation = planted.violations[0];
    if (violation?.invariant !== "no-lost-player") throw new Error("the fixture's first violation is no-lost-player");
    const graph = new TraceGraph(planted);
    const found = involvement(planted, violation, graph);
    const victim = violation.players[0] as string;
    const partner = found.players.find((id) => id !== victim) as string;
    expect(found.players).toHaveLength(2);
    const close = found.steps.find((i) => {
      const event = planted.steps[i]?.event;
      return event?.kind === "close" && event.player === partner && event.by === "client";
    });
    const leave = found.steps.find((i) => {
      const event = planted.steps[i]?.event;
      return event?.kind === "redis" && event.script === "fixed:leave" && JSON.stringify(event.reply) === '["left","allocating"]';
    });
    expect(close).toBeDefined();
    expect(leave).toBeDefined();
    const told = violationStory(planted, violation, graph).lines.map((line) => line.step);
    expect(told).toContain(close);
    expect(told).toContain(leave);
    expect(nameCause(planted, violation, graph)).toMatchObject({ defect: null, text: expect.stringMatching(/^signature [0-9a-f]{12}: no-lost-player: /) });
  });

  it.each([
    ["malformed-input", 4],
    ["cancel-vs-complete", 2],
    ["complete-vs-stale", 3],
    ["server-contention", 1],
  ] as const)("names the seed defect of the first legacy %s failure (defect %i) and tells its cause", async (scenario, defect) => {
    const { trace } = await firstFailure(scenario);
    // A run that keeps going may show several of legacy's flaws: the scenario's own defect is among them, named
    // for one of the violations of what the scenario breaks.
    const breaks = findScenario(scenario)!.breaks;
    const graph = new TraceGraph(trace);
    const violation = trace.violations.find((each) => breaks.includes(each.invariant) && nameCause(trace, each, graph).defect?.defect === defect);
    if (violation === undefined) throw new Error(`no violation of ${breaks.join(" or ")} was named seed defect ${defect}`);
    const story = violationStory(trace, violation, graph).lines.map((line) => trace.steps[line.step]?.event);
    if (defect === 4) expect(story.some((event) => event?.kind === "frame-in")).toBe(true);
    if (defect === 2) expect(story.some((event) => event?.kind === "redis" && event.command === "SET" && event.reply === null)).toBe(true);
    if (defect === 3) expect(story.some((event) => event?.kind === "redis" && (event.command === "DEL" || event.reply === null))).toBe(true);
    if (defect === 1) expect(story.some((event) => event?.kind === "http-request" || (event?.kind === "redis" && event.command === "SADD"))).toBe(true);
  });
});
