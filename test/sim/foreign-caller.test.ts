import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { FAULT_KINDS } from "../../sim/faults/registry.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import { optionsProblem } from "../../sim/scenario/validate.ts";
import type { FaultEvent } from "../../sim/trace/events.ts";
import type { Trace, TraceStep } from "../../sim/trace/trace.ts";

const base = findScenario("server-contention")!.options;
/** server-contention's world with foreign callers the one fault besides servers that die and come back. */
const options = { ...base, choices: {}, faults: { ...base.faults, serverError: 0, serverMalformed: 0 }, events: { ...base.events, serverDeaths: 2, foreignCalls: 8 } };
const spec = (seed: number, world: WorldOptions = options) => ({ scenario: "foreign-caller", server: "fixed" as const, seed, strategy: "preempt" as const, options: world });

const strikes = (trace: Trace): (TraceStep & { event: FaultEvent })[] =>
  trace.steps.filter((step): step is TraceStep & { event: FaultEvent } => step.event.kind === "fault" && step.event.fault === "foreign-caller");
const refusals = (trace: Trace, reason: string) => trace.coverage[`ds.create_session_refused.${reason}`] ?? 0;

describe("a foreign caller of the dedicated servers", () => {
  it("sends junk, invalid keys and reused keys, which the servers refuse, and the fixed server stays clean", async () => {
    const sent = { junk: 0, "bad-key": 0, "key-reused": 0, replay: 0 };
    const refused = { bad_request: 0, bad_key: 0, key_reused: 0 };
    for (let seed = 0; seed < 8; seed++) {
      const trace = await runOnce(spec(seed));
      const calls = strikes(trace);
      expect(calls, `seed ${seed}`).toHaveLength(8);
      for (const { event } of calls) {
        const shape = /^junk: /.test(event.effect) ? "junk" : /Idempotency-Key/.test(event.effect) ? "bad-key" : /for other players/.test(event.effect) ? "key-reused" : "replay";
        if (shape === "replay") expect(event.effect).toMatch(/^a create call it received earlier, again: \{"players":/);
        if (!/: (lost|refused), /.test(event.effect)) sent[shape]++;
      }
      refused.bad_request += refusals(trace, "bad_request");
      refused.bad_key += refusals(trace, "bad_key");
      refused.key_reused += refusals(trace, "key_reused");
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
    for (const count of Object.values(sent)) expect(count).toBeGreaterThan(0);
    // A server not registered yet refuses every call as such, before reading it: never more refusals than calls.
    expect(refused.bad_request).toBeGreaterThan(0);
    expect(refused.bad_request).toBeLessThanOrEqual(sent.junk);
    expect(refused.bad_key).toBeGreaterThan(0);
    expect(refused.bad_key).toBeLessThanOrEqual(sent["bad-key"]);
    expect(refused.key_reused).toBe(sent["key-reused"]);
  });

  it("makes a game with a replay that reaches a process which never answered it, as a proxy's late retry would", async () => {
    const unanswered = (trace: Trace) =>
      (trace.coverage["ds.game_session_created"] ?? 0) - trace.steps.filter((step) => step.event.kind === "http-reply" && step.event.status === 200).length;
    let ghost: number | null = null;
    for (let seed = 0; seed < 30 && ghost === null; seed++) {
      const trace = await runOnce(spec(seed));
      if (unanswered(trace) > 0) ghost = seed;
      expect(trace.verdict, `seed ${seed}`).toBe("pass");
    }
    expect(ghost).not.toBeNull();
    // The same world without the foreign caller answers every game it makes.
    expect(unanswered(await runOnce(spec(ghost!, { ...options, events: { ...options.events, foreignCalls: 0 } })))).toBe(0);
  });

  it("calls nothing in a world without it, and counts as an event shrinking removes", async () => {
    const kind = FAULT_KINDS.find((each) => each.name === "foreign-caller")!;
    expect(kind.smaller({ ...options, events: { ...options.events, foreignCalls: 2 } }).map((world) => world.events.foreignCalls)).toEqual([0, 1]);
    expect(optionsProblem({ ...options, events: { ...options.events, foreignCalls: -1 } })).toMatch(/foreignCalls/);
    const { foreignCalls: _, ...older } = options.events;
    const before = await runOnce(spec(1, { ...options, events: older }));
    const none = await runOnce(spec(1, { ...options, events: { ...older, foreignCalls: 0 } }));
    expect(JSON.stringify(none.steps)).toBe(JSON.stringify(before.steps));
    expect(strikes(none)).toHaveLength(0);
  });
});
