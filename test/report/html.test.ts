import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { renderTimeline } from "../../sim/report/html.ts";
import type { Trace } from "../../sim/trace/trace.ts";
import { firstFailure, handWrittenRedis, handWrittenTrace, LOCK_TAKEN_STEP, ORPHAN, REFUSED_LOCK_STEP } from "./fixtures.ts";

interface PageView {
  name: string;
  lanes: Array<{ lane: string; group: number; name: string; note: string; mode: string }>;
  groups: string[];
  kinds: string[];
  markKinds: string[];
  /** [t, lane, kind, label, detail, mark kind (0 none), mark text, the step it arrived from (-1 none)] */
  steps: Array<[number, number, number, string, string, number, string, number]>;
  redis: Array<[number, unknown]>;
  redisMissing: string | null;
  replay: string | null;
  run: string | null;
  violations: Array<{
    invariant: string;
    step: number;
    at: number;
    stepAt: number;
    afterRun: boolean;
    involved: number[];
    story: Array<[number, string]>;
    players: string[];
    cause: string;
  }>;
}

interface PageData {
  views: PageView[];
  diff: { rows: Array<[string, string, string]>; kept: Array<{ id: string; before: string; after: string }>; removed: Array<[string, number]> } | null;
}

function pageData(html: string): PageData {
  const match = /<script type="application\/json" id="trace-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error("no embedded data");
  return JSON.parse(match[1]) as PageData;
}

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
}

function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
  expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
  expect(html).not.toMatch(/@import/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
}

function expectWellFormed(html: string): void {
  expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  for (const tag of ["html", "head", "body", "style", "title"]) {
    expect(html.match(new RegExp(`<${tag}[\\s>]`, "g"))?.length, tag).toBe(1);
    expect(html.match(new RegExp(`</${tag}>`, "g"))?.length, tag).toBe(1);
  }
  expect(html.match(/<script[\s>]/g)?.length).toBe(html.match(/<\/script>/g)?.length);
  for (const code of inlineScripts(html)) expect(() => new Script(code)).not.toThrow();
}

function lanesOf(trace: Trace): Set<string> {
  return new Set(trace.steps.map((s) => s.lane));
}

describe("renderTimeline", () => {
  const trace = handWrittenTrace();
  const html = renderTimeline({ original: { trace, redis: handWrittenRedis(trace), path: "reports/x.trace.json" } });
  const view = pageData(html).views[0];
  if (!view) throw new Error("no view");

  it("is one self-contained page that parses: no network asset, valid embedded data and script", () => {
    expectSelfContained(html);
    expectWellFormed(html);
  });

  it("has a lane for every actor plus redis, instances first", () => {
    const names = view.lanes.map((lane) => lane.lane);
    for (const lane of lanesOf(trace)) expect(names).toContain(lane);
    expect(names).toContain("redis");
    expect(names[0]).toBe("instance:i1");
    expect(view.groups[view.lanes[0]?.group ?? -1]).toBe("instances");
    expect(view.steps).toHaveLength(trace.steps.length);
  });

  it("names the holder of a refused lock, says a message was dropped, and joins each to where it came from", () => {
    const [t, lane, kind, label, , mark, text, from] = view.steps[REFUSED_LOCK_STEP] ?? [];
    expect([t, view.lanes[lane ?? -1]?.lane, view.kinds[kind ?? -1], view.markKinds[(mark ?? 0) - 1]]).toEqual([10765, "instance:i2", "redis", "refused"]);
    expect(label).toMatch(/^SET lock:loading:\S+ \S+ NX PX 10000$/);
    expect(text).toBe(`refused: the lock is held by i2 since step ${LOCK_TAKEN_STEP}`);
    expect(from).toBe(LOCK_TAKEN_STEP);
    const close = view.steps[12];
    expect(view.markKinds[(close?.[5] ?? 0) - 1]).toBe("dropped");
    expect(close?.[6]).toBe(`dropped: its handler gave up at step ${REFUSED_LOCK_STEP} (lock refused, held by i2)`);
    // an HTTP request arrives from the command before it on the instance; its ds's write does not arrive from anywhere
    expect(view.steps[16]?.[7]).toBe(15);
    expect(view.steps[17]?.[7]).toBe(-1);
  });

  it("marks the violating step (clamped into the trace), the steps involved, and the time each was found at", () => {
    const violation = view.violations[0];
    expect(violation?.invariant).toBe("no-orphaned-session");
    expect(violation?.step).toBe(trace.steps.length - 1);
    expect(violation?.afterRun).toBe(true);
    expect([violation?.at, violation?.stepAt]).toEqual([140_002, 15_002]);
    expect(violation?.involved).toContain(REFUSED_LOCK_STEP);
    expect(violation?.story.map(([step]) => step)).toContain(REFUSED_LOCK_STEP);
    expect(violation?.involved).not.toContain(19);
    expect(violation?.story.find(([step]) => step === REFUSED_LOCK_STEP)?.[1]).toContain("was refused lock:loading:");
    expect(violation?.cause).toMatch(/^seed defect 2: a quit and a loading_complete race for the session lock/);
  });

  it("carries the reproduce commands and only the steps that changed Redis", () => {
    expect(view.replay).toBe("npx sim replay reports/x.trace.json");
    expect(view.run).toBe("npx sim run cancel-vs-complete --server legacy --strategy pct --seed 4 --runs 1");
    expect(view.redis.map(([step]) => step)).toEqual([1, 7, 17]);
  });

  it("cannot be broken out of by text in the trace", () => {
    const hostile = handWrittenTrace([{ ...ORPHAN, message: "</script><script>alert(1)</script>" }]);
    const step = hostile.steps[3];
    if (step?.event.kind === "frame-in") step.event = { ...step.event, text: "<!-- </script> -->" };
    const page = renderTimeline({ original: { trace: hostile, redis: [] } });
    expectWellFormed(page);
    expect(pageData(page).views[0]?.violations[0]).toMatchObject({ invariant: "no-orphaned-session" });
    expect(pageData(page).views[0]?.steps[3]?.[4]).toBe("<!-- </script> -->");
  });

  it("puts a shrunk trace beside the original, each with its own steps, and says what shrinking removed", () => {
    const shrunk = handWrittenTrace();
    shrunk.steps = shrunk.steps.slice(0, 10);
    shrunk.options = { ...shrunk.options, players: ["normal", "normal"], playerPositions: [1, 3], servers: 1, instances: 1 };
    const page = renderTimeline({ original: { trace, redis: [] }, shrunk: { trace: shrunk, redis: [], redisMissing: "the code changed" } });
    const { views, diff } = pageData(page);
    expect(views.map((v) => [v.name, v.steps.length])).toEqual([["original", trace.steps.length], ["shrunk", 10]]);
    expect(views[1]?.violations[0]?.step).toBe(9);
    expect(views[1]?.run).toBeNull();
    expect(views[1]?.redisMissing).toBe("the code changed");
    expect(diff?.rows).toContainEqual(["players", "4", "2"]);
    expect(diff?.rows).toContainEqual(["dedicated servers", "2", "1"]);
    expect(diff?.kept.map((p) => [p.before, p.after])).toEqual([["quits-during-loading", "normal"], ["quits-during-loading", "normal"]]);
    expect(diff?.removed).toEqual([["normal", 2]]);
  });

  it("renders a real failing run with Redis history", async () => {
    const { trace: real, redis } = await firstFailure("malformed-input");
    const page = renderTimeline({ original: { trace: real, redis } });
    expectSelfContained(page);
    expectWellFormed(page);
    const real0 = pageData(page).views[0];
    for (const lane of lanesOf(real)) expect(real0?.lanes.map((l) => l.lane)).toContain(lane);
    const players = real0?.lanes.filter((l) => l.lane.startsWith("player:")) ?? [];
    expect(players.length).toBeGreaterThan(0);
    for (const lane of players) expect(real.options.players).toContain(lane.note);
    expect(real0?.redis.length).toBeGreaterThan(0);
    expect(real0?.violations[0]?.involved).toContain(real0?.violations[0]?.step);
  });
});
