import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles, withoutComments } from "../support/source-files.ts";
import { afterMicrotasks } from "../../sim/world/quiescence.ts";

const SIM = join(import.meta.dirname, "../../sim");

/** The sim's code that runs inside steps: what a world builds, and what its steps call. */
const RUN_TIME = ["world", "players", "oracle", "redis", "scheduler", "random", "trace", "run", "scenario"];

/** Ways to schedule work that the wait for quiescence would not wait for. */
const OUTSIDE_MICROTASKS = /\b(setTimeout|setInterval|setImmediate)\s*\(|\bprocess\.nextTick\b|\bMessageChannel\b|\bAtomics\.wait/;

/** A chain of `depth` promise hops, each queueing the next: done once the last hop ran. */
function chain(depth: number, log: string[], name: string): void {
  let promise = Promise.resolve();
  for (let i = 0; i < depth; i++) promise = promise.then(() => {});
  void promise.then(() => queueMicrotask(() => log.push(name)));
}

/** Runs `start` in the given context and resolves with what had happened when afterMicrotasks called back. */
function waitFrom(context: "macrotask" | "tick" | "microtask"): Promise<string[]> {
  return new Promise((resolve) => {
    const log: string[] = [];
    const start = () => {
      chain(200, log, "deep chain");
      afterMicrotasks(() => resolve([...log, "quiet"]));
      chain(50, log, "chain started after the wait");
    };
    if (context === "macrotask") setImmediate(start);
    else if (context === "tick") process.nextTick(start);
    else queueMicrotask(start);
  });
}

describe("waiting for a step's code to quiesce", () => {
  for (const context of ["macrotask", "tick", "microtask"] as const) {
    it(`waits for every microtask chain a step set off, when the step ran in a ${context}`, async () => {
      expect(await waitFrom(context)).toEqual(["chain started after the wait", "deep chain", "quiet"]);
    });
  }

  it("is all the sim's run-time code needs: it schedules nothing but microtasks (src/ is held to the ports rule)", () => {
    const found: string[] = [];
    for (const folder of RUN_TIME) {
      for (const path of sourceFiles(join(SIM, folder))) {
        const name = relative(SIM, path);
        if (name === "world/quiescence.ts") continue;
        withoutComments(readFileSync(path, "utf8"))
          .split("\n")
          .forEach((line, index) => {
            if (OUTSIDE_MICROTASKS.test(line)) found.push(`${name}:${index + 1}: ${line.trim()}`);
          });
      }
    }
    expect(found).toEqual([]);
  });
});
