import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ruleBreaches, sourceFiles } from "../support/source-files.ts";

const ROOT = join(import.meta.dirname, "../..");

/** Where labels are made: the trace's own modules derive them from events; nobody else may read them back. */
const EXEMPT = ["sim/trace/"];

/** Reading meaning back out of a label's or a detail's text: a test, a search or a prefix check on it. */
const INSPECTS = [
  /\b(label|detail|stepLabel|stepDetail)\b[^;]*\.(test|exec|match|matchAll|startsWith|endsWith|includes|indexOf|search)\(/,
  /\.(test|exec|match|matchAll|search)\([^)]*\b(label|detail|stepLabel|stepDetail)\b/,
];

export function inspections(files: Array<{ path: string; text: string }>): string[] {
  return ruleBreaches(files, EXEMPT, INSPECTS.map((pattern) => ["reads a label", pattern]));
}

function harnessFiles(): Array<{ path: string; text: string }> {
  const timeline = join(ROOT, "sim/report/timeline");
  const paths = [
    ...sourceFiles(join(ROOT, "sim")),
    ...sourceFiles(join(ROOT, "bench")),
    ...readdirSync(timeline).filter((name) => name.endsWith(".js")).map((name) => join(timeline, name)),
  ];
  return paths.map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, "utf8") }));
}

describe("the labels rule", () => {
  it("no code outside sim/trace/ reads meaning back out of a step's label or detail: it reads the typed event", () => {
    const files = harnessFiles();
    expect(files.length).toBeGreaterThan(50);
    expect(inspections(files)).toEqual([]);
  });

  it("catches a regex, a search or a prefix check on a label, and spares sim/trace/", () => {
    const planted = [
      { path: "sim/report/a.ts", text: "if (/^SET /.test(step.label)) {}" },
      { path: "sim/report/b.ts", text: 'const failed = step.detail.startsWith("error:");' },
      { path: "sim/world/c.ts", text: "const m = /c(\\d+)/.exec(stepLabel(event));" },
      { path: "sim/report/timeline/d.js", text: "if (label.includes('NX')) mark = 1;" },
      { path: "sim/trace/ok.ts", text: "if (/^SET /.test(label)) {}" },
      { path: "sim/report/comment.ts", text: "// once we did /^SET /.test(step.label)" },
    ];
    expect(inspections(planted).map((line) => line.split(":")[0])).toEqual(["sim/report/a.ts", "sim/report/b.ts", "sim/world/c.ts", "sim/report/timeline/d.js"]);
  });
});
