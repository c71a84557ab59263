import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { sessionOfIdempotencyKey } from "../../src/fixed/allocation.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { HttpRequestEvent } from "../../sim/trace/events.ts";
import type { TraceStep } from "../../sim/trace/trace.ts";

const contention = findScenario("server-contention")!.options;

describe("a dedicated server cut off from the network", () => {
  it("refuses a create call, or answers nothing until the caller's timeout; the fixed server rests it either way", async () => {
    const outcomes = new Map<string, number>();
    for (let seed = 0; seed < 6; seed++) {
      const trace = await runOnce({
        scenario: "server-contention",
        server: "fixed",
        seed,
        strategy: "preempt",
        options: { ...contention, choices: {}, faults: { ...contention.faults, serverUnreachable: 1 } },
      });
      const requests = trace.steps.filter((step): step is TraceStep & { event: HttpRequestEvent } => step.event.kind === "http-request");
      for (const request of requests) {
        outcomes.set(request.event.outcome, (outcomes.get(request.event.outcome) ?? 0) + 1);
        if (request.event.outcome !== "silent") continue;
        // Silence: no reply ever comes, and the caller's own timeout, made with the request, ends the call.
        expect(trace.steps.some((step) => step.event.kind === "http-reply" && step.cause === request.id)).toBe(false);
        expect(trace.steps.some((step) => step.event.kind === "http-timeout" && step.cause === request.cause && step.i > request.i)).toBe(true);
      }
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
    // Faults by rate stop with the active phase: what the settle phase sends is handled.
    expect(outcomes.get("silent")).toBeGreaterThan(0);
    expect(outcomes.get("unreachable")).toBeGreaterThan(0);
  });

  it("is asked by a create call whose key names the session that claimed it: the oracle finds the call's session by it", async () => {
    const trace = await runOnce({
      scenario: "server-contention",
      server: "fixed",
      seed: 0,
      strategy: "preempt",
      options: { ...contention, choices: {}, faults: { ...contention.faults, serverUnreachable: 1 } },
    });
    const claimed = new Set(trace.steps.flatMap((step) => (step.event.kind === "redis" && step.event.script === "fixed:claim_server" ? [String(step.event.args[0])] : [])));
    const requests = trace.steps.flatMap((step) => (step.event.kind === "http-request" ? [step.event] : []));
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      const key = (JSON.parse(request.body) as { idempotency_key: string }).idempotency_key;
      expect(claimed).toContain(sessionOfIdempotencyKey(key));
    }
  });
});
