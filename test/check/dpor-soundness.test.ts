import { describe, expect, it } from "vitest";
import { explore } from "../../sim/check/explorer.ts";
import { Shard, WHOLE } from "../../sim/check/sharding.ts";
import { randomProgram, syntheticTarget, type Program, type SyntheticOutcome } from "./synthetic-world.ts";

interface Reached {
  finals: Set<string>;
  verdicts: Set<string>;
  schedules: number;
  complete: boolean;
}

async function reach(program: Program, preemptions: number, faults: number, reduce: boolean, shard = WHOLE()): Promise<Reached> {
  const finals = new Set<string>();
  const verdicts = new Set<string>();
  const result = await explore(syntheticTarget(program), { bounds: { preemptions, faults }, reduce, shard, deadline: null }, (outcome: SyntheticOutcome) => {
    finals.add(outcome.final);
    verdicts.add(outcome.violations.join(";"));
    return false;
  });
  return { finals, verdicts, schedules: result.schedules, complete: result.complete };
}

const SEEDS = Array.from({ length: 30 }, (_, i) => i);

describe("sim check: DPOR against plain bounded search on synthetic worlds", () => {
  for (const [preemptions, faults] of [
    [0, 0],
    [1, 0],
    [2, 0],
    [1, 1],
    [Number.POSITIVE_INFINITY, 0],
  ] as const) {
    it(`reaches the same final states and verdicts at K=${preemptions}, F=${faults}`, async () => {
      let plainTotal = 0;
      let reducedTotal = 0;
      // Without a bound plain search takes thousands of schedules on some of these worlds: fewer of them.
      for (const seed of Number.isFinite(preemptions) ? SEEDS : SEEDS.slice(0, 15)) {
        const program = randomProgram(seed);
        const plain = await reach(program, preemptions, faults, false);
        const reduced = await reach(program, preemptions, faults, true);
        expect(plain.complete && reduced.complete).toBe(true);
        expect([...reduced.finals].sort(), `seed ${seed}: final states`).toEqual([...plain.finals].sort());
        expect([...reduced.verdicts].sort(), `seed ${seed}: verdicts`).toEqual([...plain.verdicts].sort());
        expect(reduced.schedules).toBeLessThanOrEqual(plain.schedules);
        plainTotal += plain.schedules;
        reducedTotal += reduced.schedules;
      }
      // The reduction must reduce something over these worlds, or the comparison proves little.
      expect(reducedTotal).toBeLessThan(plainTotal);
    });
  }

  it("explores more with a larger preemption bound, and every schedule within no bound", async () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const program = randomProgram(seed);
      const one = await reach(program, 1, 0, false);
      const two = await reach(program, 2, 0, false);
      expect(two.schedules).toBeGreaterThanOrEqual(one.schedules);
      for (const final of one.finals) expect(two.finals.has(final)).toBe(true);
    }
  });

  it("splits the tree among shards: together they reach what one machine does", async () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const program = randomProgram(seed);
      const whole = await reach(program, 2, 1, true);
      const finals = new Set<string>();
      let schedules = 0;
      for (let index = 1; index <= 3; index++) {
        const part = await reach(program, 2, 1, true, new Shard(index, 3));
        for (const final of part.finals) finals.add(final);
        schedules += part.schedules;
      }
      expect([...finals].sort(), `seed ${seed}`).toEqual([...whole.finals].sort());
      expect(schedules).toBe(whole.schedules);
    }
  });
});
