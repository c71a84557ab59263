import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../scenarios/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { traceHash } from "../../sim/trace/hash.ts";

describe("a trace's lazy hash", () => {
  const scenario = SCENARIOS.find((s) => s.name === "cancel-vs-complete")!;
  const spec = { scenario: scenario.name, server: "fixed" as const, strategy: "pct" as const, options: scenario.options };

  it("is the hash of the run, carried by JSON and structured clones as a plain value", async () => {
    const trace = await runOnce({ ...spec, seed: 1 });
    const { hash, ...body } = trace;
    expect(hash).toBe(traceHash(body));
    expect(JSON.parse(JSON.stringify(trace))).toEqual({ ...body, hash });
    expect(structuredClone(trace)).toEqual({ ...body, hash });
  });

  it("is read by one getter shared by every trace (a getter per trace gave each trace a hidden class in old space)", async () => {
    const a = await runOnce({ ...spec, seed: 1 });
    const b = await runOnce({ ...spec, seed: 2 });
    const getter = (trace: object) => Object.getOwnPropertyDescriptor(trace, "hash")?.get;
    expect(getter(a)).toBeTypeOf("function");
    expect(getter(a)).toBe(getter(b));
    expect(Object.keys(a)).toEqual(["format", "scenario", "server", "seed", "strategy", "options", "stopAtFirst", "decisions", "verdict", "violations", "steps", "revision", "coverage", "hash"]);
  });
});
