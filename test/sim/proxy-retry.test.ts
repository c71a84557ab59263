import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import type { HttpReplyEvent, HttpRequestEvent } from "../../sim/trace/events.ts";
import type { Trace } from "../../sim/trace/trace.ts";

const base = findScenario("server-contention")!.options;
/** server-contention's world with every create call's reply lost and retried by a proxy, and servers that die. */
const options = { ...base, choices: {}, faults: { ...base.faults, serverRetried: 1 }, events: { ...base.events, serverDeaths: 2 } };
const run = (seed: number, world: WorldOptions = options) => runOnce({ scenario: "proxy-retry", server: "fixed", seed, strategy: "preempt", options: world });

const requests = (trace: Trace) => trace.steps.flatMap((step) => (step.event.kind === "http-request" ? [step.event] : []));
const replies = (trace: Trace) => trace.steps.flatMap((step) => (step.event.kind === "http-reply" ? [step.event] : []));

describe("a retrying proxy in front of the dedicated servers", () => {
  it("sends a create call whose reply was lost again, with its key: the server answers with the game it made, and makes no second", async () => {
    for (let seed = 0; seed < 5; seed++) {
      const trace = await run(seed);
      const sent = requests(trace);
      const retried = sent.filter((request) => request.outcome === "retried");
      expect(retried.length, `seed ${seed}`).toBeGreaterThan(0);
      // Each first try is followed by its retry on the same server, the same body.
      for (const first of retried) expect(sent.filter((request) => request.body === first.body && request.server === first.server).length).toBe(2);
      const handledRetries = sent.filter((request) => request.outcome === "handled");
      expect(trace.coverage["ds.create_session_replayed"], `seed ${seed}`).toBe(handledRetries.length);
      // One game per claim: the retries replayed, and the caller was told the game the first try made.
      const games = replies(trace).filter((reply) => reply.status === 200).map((reply) => (JSON.parse(reply.body) as { session_id: string }).session_id);
      expect(trace.coverage["ds.game_session_created"]).toBe(new Set(games).size);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
  });

  it("answers 502 when the server died before the retry, and the allocation fails as any 5xx does", async () => {
    let found: { trace: Trace; gateway: HttpReplyEvent } | null = null;
    for (let seed = 0; seed < 40 && found === null; seed++) {
      const trace = await run(seed);
      const gateway = replies(trace).find((reply) => reply.status === 502);
      if (gateway !== undefined) found = { trace, gateway };
    }
    expect(found).not.toBeNull();
    const { trace, gateway } = found!;
    const retryOf = requests(trace).filter((request: HttpRequestEvent) => request.url === gateway.url && request.outcome === "5xx");
    expect(retryOf.length).toBeGreaterThan(0);
    expect(trace.verdict).toBe("pass");
  });

  it("leaves a world without it as it was: nothing drawn for it at a rate of 0", async () => {
    const { serverRetried: _, ...older } = options.faults;
    const without = await run(3, { ...options, faults: older });
    const zero = await run(3, { ...options, faults: { ...older, serverRetried: 0 } });
    expect(JSON.stringify(zero.steps)).toBe(JSON.stringify(without.steps));
    expect(requests(zero).some((request) => request.outcome === "retried")).toBe(false);
  });
});
