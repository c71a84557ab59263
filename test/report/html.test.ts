import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { renderTimeline } from "../../sim/report/html.ts";
import type { Trace } from "../../sim/trace/trace.ts";
import { firstFailure, handWrittenRedis, handWrittenTrace, ORPHAN, REFUSED_LOCK_STEP } from "./fixtures.ts";

interface PageView {
  name: string;
  lanes: string[];
  kinds: string[];
  steps: Array<[number, number, number, string, string, string]>;
  redis: Array<[number, unknown]>;
  replay: string | null;
  run: string;
  violations: Array<{ invariant: string; step: number; involved: number[]; story: number[]; players: string[]; explanation: string }>;
}

function pageData(html: string): { views: PageView[] } {
  const match = /<script type="application\/json" id="trace-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error("no embedded data");
  return JSON.parse(match[1]) as { views: PageView[] };
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
    for (const lane of lanesOf(trace)) expect(view.lanes).toContain(lane);
    expect(view.lanes).toContain("redis");
    expect(view.lanes[0]).toBe("instance:i1");
    expect(view.steps).toHaveLength(trace.steps.length);
    const [t, lane, kind, label, , mark] = view.steps[REFUSED_LOCK_STEP] ?? [];
    expect([t, view.lanes[lane ?? -1], view.kinds[kind ?? -1], mark]).toEqual([10765, "instance:i2", "redis", "refused (lock held elsewhere)"]);
    expect(label).toMatch(/^SET lock:loading:\S+ \S+ NX PX 10000$/);
  });

  it("marks the violating step (clamped into the trace) and the steps involved in it", () => {
    const violation = view.violations[0];
    expect(violation?.invariant).toBe("no-orphaned-session");
    expect(violation?.step).toBe(trace.steps.length - 1);
    expect(violation?.involved).toContain(REFUSED_LOCK_STEP);
    expect(violation?.story).toContain(REFUSED_LOCK_STEP);
    expect(violation?.involved).not.toContain(19);
    expect(violation?.explanation).toContain("was refused lock:loading:");
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

  it("puts a shrunk trace beside the original, each with its own steps", () => {
    const shrunk = handWrittenTrace();
    shrunk.steps = shrunk.steps.slice(0, 10);
    const page = renderTimeline({ original: { trace, redis: [] }, shrunk: { trace: shrunk, redis: [] } });
    const views = pageData(page).views;
    expect(views.map((v) => [v.name, v.steps.length])).toEqual([["original", trace.steps.length], ["shrunk", 10]]);
    expect(views[1]?.violations[0]?.step).toBe(9);
  });

  it("renders a real failing run with Redis history", async () => {
    const { trace: real, redis } = await firstFailure("malformed-input");
    const page = renderTimeline({ original: { trace: real, redis } });
    expectSelfContained(page);
    expectWellFormed(page);
    const real0 = pageData(page).views[0];
    for (const lane of lanesOf(real)) expect(real0?.lanes).toContain(lane);
    expect(real0?.redis.length).toBeGreaterThan(0);
    expect(real0?.violations[0]?.involved).toContain(real0?.violations[0]?.step);
  });
});
