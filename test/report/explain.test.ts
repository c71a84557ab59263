import { describe, expect, it } from "vitest";
import { storyLines, violationStory } from "../../sim/report/explain.ts";
import { involvement } from "../../sim/report/involvement.ts";
import { TraceGraph } from "../../sim/report/trace-graph.ts";
import { isRefusedLock } from "../../sim/trace/facts.ts";
import { firstFailure, handWrittenTrace, LOCK_TAKEN_STEP, ORPHAN, P1, P2, REFUSED_LOCK_STEP, SESSION } from "./fixtures.ts";

describe("involvement: the causal slice", () => {
  const trace = handWrittenTrace();
  const found = involvement(trace, ORPHAN);

  it("infers the players and the loading session behind a violation that names only a key", () => {
    expect(found.players.sort()).toEqual([P1, P2].sort());
    expect(found.keys).toContain(`loading:${SESSION}`);
    expect(found.step).toBe(trace.steps.length - 1);
  });

  it("follows a refused lock to the acquisition that held it, and a departure to what its handler did", () => {
    expect(found.steps).toContain(REFUSED_LOCK_STEP);
    expect(found.because.get(LOCK_TAKEN_STEP)).toEqual({ why: "held", of: REFUSED_LOCK_STEP, key: `lock:loading:${SESSION}` });
    expect(found.because.get(REFUSED_LOCK_STEP)).toEqual({ why: "handled", of: 12 });
  });

  it("leaves out what the cause does not need: the next tick, the crash after the allocation", () => {
    expect(found.steps).not.toContain(18);
    expect(found.steps).not.toContain(19);
  });
});

const explain = (trace: Parameters<typeof violationStory>[0], violation: Parameters<typeof violationStory>[1]) => storyLines(violationStory(trace, violation)).join("\n");

describe("the story", () => {
  const trace = handWrittenTrace();
  const text = explain(trace, ORPHAN);
  const lines = text.split("\n");

  it("opens with the invariant, its meaning, the players abbreviated and the key", () => {
    expect(lines[0]?.startsWith("no-orphaned-session (")).toBe(true);
    expect(lines[0]).toContain("busy dedicated server");
    expect(lines[0]).toContain(P1.slice(0, 8));
    expect(lines[0]).toContain(P2.slice(0, 8));
    expect(text).not.toContain(P1);
    expect(lines[0]).toContain("dedicated_server:ds1");
  });

  it("is a numbered list of key steps in trace order, aligned, ending with how the violation was found", () => {
    const numbered = lines.slice(1, -1);
    expect(numbered.length).toBeGreaterThan(2);
    numbered.forEach((line, k) => expect(line).toMatch(new RegExp(`^ ?${k + 1}\\.  +\\d+\\.\\d{3} s  step \\d+ +\\S`)));
    const steps = numbered.map((line) => Number(/step (\d+)/.exec(line)?.[1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(numbered.map((line) => line.indexOf("step ")))).toHaveProperty("size", 1);
    expect(lines.at(-1)).toMatch(/^then at 140\.002 s, after the last step \(step 19\), the end-of-run check failed: .*is busy but no player was ever told match_found for it\.$/);
  });

  it("names the holder of a refused lock, and says the quit that was refused was dropped", () => {
    expect(text).toContain(`step ${REFUSED_LOCK_STEP}  i2 was refused lock:loading:${SESSION.slice(0, 8)} (held by i2 since step ${LOCK_TAKEN_STEP})`);
    expect(text).toContain(`step ${LOCK_TAKEN_STEP}  i2 took lock:loading:${SESSION.slice(0, 8)}`);
    expect(text).toMatch(new RegExp(`player ${P2.slice(0, 8)} closed its connection c4 to i2 \\(dropped: its handler gave up when refused the lock at step ${REFUSED_LOCK_STEP}\\)`));
  });

  it("tells at most nine steps and never a timer tick", () => {
    const told = violationStory(trace, ORPHAN).lines.map((line) => trace.steps[line.step]);
    expect(told.length).toBeLessThanOrEqual(9);
    expect(told.some((s) => s?.event.kind === "timer")).toBe(false);
  });

  it.each(["cancel-vs-complete", "stale-sweep", "complete-vs-stale", "malformed-input"])("reads the real %s failure: every player involved, steps in order", async (name) => {
    const { trace: real } = await firstFailure(name);
    const violation = real.violations[0];
    if (!violation) throw new Error("no violation");
    const story = violationStory(real, violation);
    const text = explain(real, violation);
    expect(story.headline).toContain(violation.invariant);
    for (const player of involvement(real, violation).players) expect(text).toContain(player.slice(0, 8));
    const told = story.lines.map((line) => line.step);
    expect(told).toEqual([...told].sort((a, b) => a - b));
    expect(story.end).toContain(`step ${Math.min(violation.step, real.steps.length - 1)}`);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  });

  it("brings into the slice the holder of every lock refused on the way to a real cancel-vs-complete failure", async () => {
    const { trace: real } = await firstFailure("cancel-vs-complete");
    const graph = new TraceGraph(real);
    for (const violation of real.violations) {
      const found = involvement(real, violation, graph);
      for (const index of found.steps) {
        const step = real.steps[index];
        if (step === undefined || !isRefusedLock(step.event)) continue;
        const holder = graph.holder(index);
        expect(holder).not.toBeNull();
        expect(found.steps).toContain(holder);
      }
    }
  });
});
