import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../scenarios/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";

describe("determinism: the same scenario, seed, strategy and code give a byte-identical trace", () => {
  for (const scenario of SCENARIOS) {
    for (const server of ["legacy", "fixed"] as const) {
      it(`${scenario.name} on ${server}`, async () => {
        const spec = { scenario: scenario.name, server, seed: 11, strategy: "pct" as const, options: scenario.options };
        const first = await runOnce(spec);
        const second = await runOnce(spec);
        expect(first.steps.length).toBeGreaterThan(20);
        expect(second.hash).toBe(first.hash);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      });
    }
  }

  it("a different seed gives a different run", async () => {
    const scenario = SCENARIOS.find((s) => s.name === "cancel-vs-complete")!;
    const base = { scenario: scenario.name, server: "fixed" as const, strategy: "random" as const, options: scenario.options };
    const a = await runOnce({ ...base, seed: 1 });
    const b = await runOnce({ ...base, seed: 2 });
    expect(a.hash).not.toBe(b.hash);
  });

  it("scripts compiled to JS and interpreted by fengari give the same trace, every scenario, both variants", async () => {
    for (const scenario of SCENARIOS) {
      for (const server of ["legacy", "fixed"] as const) {
        const seeds = scenario.name === "swarm" ? [3] : [3, 4, 5];
        for (const seed of seeds) {
          const spec = { scenario: scenario.name, server, seed, strategy: "pct" as const, options: scenario.options };
          const compiled = await runOnce({ ...spec, lua: "compiled" });
          const interpreted = await runOnce({ ...spec, lua: "interpreted" });
          expect(compiled.hash, `${scenario.name} ${server} seed ${seed}`).toBe(interpreted.hash);
        }
      }
    }
  }, 120_000);
});
