import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ruleBreaches, sourceFiles } from "../support/source-files.ts";

const SRC = join(import.meta.dirname, "../../src");

/** Only the real adapters and the process entry points may reach the world directly. */
const EXEMPT = ["adapters/", "bin/"];

const FORBIDDEN: Array<[string, RegExp]> = [
  ["Date", /\bDate\.now\s*\(|\bnew Date\s*\(|\bDate\s*\(/],
  ["Math.random", /\bMath\.random\b/],
  ["timers", /\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\s*\(/],
  ["crypto", /\bcrypto\b|randomUUID|["']node:crypto["']/],
  ["process", /\bprocess\./],
  ["sockets and HTTP", /["'](node:)?(net|http|https|dgram|tls)["']|["']ws["']|["']ioredis["']|\bfetch\s*\(/],
];

export function breaches(files: Array<{ path: string; text: string }>): string[] {
  return ruleBreaches(files, EXEMPT, FORBIDDEN.map(([what, pattern]) => [`uses ${what}`, pattern]));
}

describe("the ports rule", () => {
  it("keeps time, timers, randomness, ids, sockets and process out of src/ but for adapters and bin", () => {
    const files = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, "utf8") }));
    expect(files.length).toBeGreaterThan(10);
    expect(breaches(files)).toEqual([]);
  });

  it("catches each kind of breach, and spares the exempt folders", () => {
    const planted = [
      { path: "legacy/a.ts", text: "const t = Date.now();" },
      { path: "fixed/b.ts", text: "const r = Math.random();" },
      { path: "fixed/c.ts", text: "setTimeout(() => {}, 5);" },
      { path: "fixed/d.ts", text: 'import { randomUUID } from "node:crypto";' },
      { path: "fixed/e.ts", text: "if (process.env.X) {}" },
      { path: "fixed/f.ts", text: 'import WebSocket from "ws";' },
      { path: "adapters/ok.ts", text: "const t = Date.now();" },
      { path: "fixed/comment.ts", text: "// Date.now() would break determinism" },
    ];
    expect(breaches(planted).map((line) => line.split(" uses ")[0])).toEqual([
      "legacy/a.ts:1",
      "fixed/b.ts:1",
      "fixed/c.ts:1",
      "fixed/d.ts:1",
      "fixed/e.ts:1",
      "fixed/f.ts:1",
    ]);
  });
});
