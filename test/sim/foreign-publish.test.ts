import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { FAULT_KINDS } from "../../sim/faults/registry.ts";
import type { Behaviour } from "../../sim/players/behaviour.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { optionsProblem } from "../../sim/scenario/validate.ts";
import type { FaultEvent } from "../../sim/trace/events.ts";
import type { Trace, TraceStep } from "../../sim/trace/trace.ts";

const scenario = findScenario("malformed-input")!;
/** malformed-input's world with its normal players only, and a foreign publisher the one fault. */
const options = { ...scenario.options, players: ["normal", "normal", "normal", "normal"] as Behaviour[], choices: {}, events: { ...scenario.options.events, corruptions: 0, foreignCalls: 0, garbagePublishes: 2 } };
const spec = (server: "fixed" | "legacy", seed: number) => ({ scenario: "foreign-publish", server, seed, strategy: "preempt" as const, options });

const publishes = (trace: Trace): (TraceStep & { event: FaultEvent })[] =>
  trace.steps.filter((step): step is TraceStep & { event: FaultEvent } => step.event.kind === "fault" && step.event.fault === "foreign-publish");

describe("a foreign publisher", () => {
  it("puts garbage on a live fixed instance's inbox, which the instance rejects, and nothing else goes wrong", async () => {
    for (let seed = 0; seed < 5; seed++) {
      const trace = await runOnce(spec("fixed", seed));
      const strikes = publishes(trace);
      expect(strikes, `seed ${seed}`).toHaveLength(2);
      for (const strike of strikes) expect(strike.event.effect).toMatch(/^PUBLISH \{mm\}:inbox:i\d+(\.\d+)? /);
      expect(trace.coverage["fixed.notification_rejected"], `seed ${seed}`).toBeGreaterThanOrEqual(1);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
  });

  it("puts garbage on the legacy servers' notification channels, which every instance's pattern subscription hears", async () => {
    const trace = await runOnce(spec("legacy", 0));
    const strikes = publishes(trace);
    expect(strikes).toHaveLength(2);
    for (const strike of strikes) expect(strike.event.effect).toMatch(/^PUBLISH notifications:junk-\d+ /);
    expect(trace.coverage["legacy.notification_unparseable"]).toBeGreaterThanOrEqual(2);
  });

  it("publishes nothing in a world without it, and counts as an event shrinking removes", () => {
    const kind = FAULT_KINDS.find((each) => each.name === "foreign-publish")!;
    expect(kind.smaller(options).map((world) => world.events.garbagePublishes)).toEqual([0, 1]);
    expect(optionsProblem({ ...options, events: { ...options.events, garbagePublishes: -1 } })).toMatch(/garbagePublishes/);
  });

  it("leaves a world without it as it was, and one with it as it was up to the first strike", async () => {
    const { garbagePublishes: _, ...older } = options.events;
    const before = await runOnce({ ...spec("fixed", 1), options: { ...options, events: older } });
    const none = await runOnce({ ...spec("fixed", 1), options: { ...options, events: { ...older, garbagePublishes: 0 } } });
    expect(JSON.stringify(none.steps)).toBe(JSON.stringify(before.steps));
    // Step ids are handed out as steps are scheduled, the strikes' among them: what ran, when and where is compared.
    const ran = (trace: Trace, until: number) => JSON.stringify(trace.steps.slice(0, until).map(({ t, lane, event }) => ({ t, lane, event })));
    const struck = await runOnce(spec("fixed", 1));
    const first = publishes(struck)[0]!.i;
    expect(first).toBeGreaterThan(0);
    expect(ran(struck, first)).toBe(ran(before, first));
  });
});
