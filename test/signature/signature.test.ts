import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { runJob } from "../../sim/fuzz/run-job.ts";
import type { Behaviour } from "../../sim/players/behaviour.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import { signaturesOf, type Signature } from "../../sim/signature/signature.ts";
import { isRedisFailure } from "../../sim/trace/facts.ts";
import type { Trace } from "../../sim/trace/trace.ts";

/** malformed-input's world before its flooding client: the seeds below were found in it. */
const MALFORMED_FIVE: Behaviour[] = ["malformed-frames", "normal", "normal", "unknown-mode", "normal"];

/**
 * A scenario's seed as a run, or, given players, its world with those players as it was when these seeds were
 * found (before malformed-input had a foreign publisher and a foreign caller).
 */
async function legacy(scenario: string, seed: number, players?: Behaviour[]): Promise<{ trace: Trace; signatures: Signature[] }> {
  const options = findScenario(scenario)!.options;
  const trace =
    players === undefined
      ? (await runJob({ scenario, server: "legacy", seed, strategy: "preempt" })).trace
      : await runOnce({ scenario, server: "legacy", seed, strategy: "preempt", options: { ...options, players, events: { ...options.events, garbagePublishes: 0, foreignCalls: 0 } } });
  if (trace === null || trace.violations.length === 0) throw new Error(`legacy ${scenario} seed ${seed} no longer fails`);
  return { trace, signatures: signaturesOf(trace) };
}

function of(found: { trace: Trace; signatures: Signature[] }, which: (message: string, invariant: string) => boolean): Signature[] {
  return found.trace.violations.flatMap((violation, i) => (which(violation.message, violation.invariant) ? [found.signatures[i] as Signature] : []));
}

describe("a violation's signature", () => {
  it("is not split by a fault off the way to the state the check saw: a lost reply to an enqueue does not decide a match's order", async () => {
    const plain = of(await legacy("happy-path", 0), (_, invariant) => invariant === "queue-order")[0];
    const faulty = await legacy("malformed-input", 33, MALFORMED_FIVE);
    expect(faulty.trace.steps.some((step) => isRedisFailure(step.event))).toBe(true);
    const orders = of(faulty, (_, invariant) => invariant === "queue-order");
    expect(orders.length).toBeGreaterThan(0);
    expect(new Set(orders.map((signature) => signature.id))).toEqual(new Set([plain?.id]));
  });

  it("names a crash whose reset connections' players re-enqueued elsewhere, whichever place the check saw first", async () => {
    const found = await legacy("instance-crash", 0);
    const twice = of(found, (message) => message.startsWith("player bad1ac39") && message.includes("placed 2 times"));
    expect(twice.length).toBeGreaterThan(0);
    for (const signature of twice) expect(signature.summary).toMatch(/^after world > fault crash: no-double-match/);
  });

  it("names an instance that died after the command that ended a loading session and before its handler re-queued the players", async () => {
    const lost = of(await legacy("instance-crash", 421), (message) => message.startsWith("player ed4a3977") && message.includes("loading session"));
    expect(lost.map((signature) => signature.summary)).toEqual([expect.stringMatching(/^after crash after timer sweep > DEL ok: no-lost-player/)]);
  });

  it("names a partner's cancel dropped on the session lock when the sweep that ended that session re-queued the player who left", async () => {
    const held = of(await legacy("cancel-vs-complete", 3), (message) => message.startsWith("player 88cdee99") && message.includes("disconnected"));
    expect(held.map((signature) => signature.summary)).toEqual([expect.stringMatching(/^after close > lock refused: no-lost-player/)]);
  });

  it("names what took a lost player where it was lost: a match script whose reply was lost, a sweep that threw before re-queuing", async () => {
    const found = await legacy("malformed-input", 0, MALFORMED_FIVE);
    const lost = (player: string) => of(found, (message) => message.startsWith(`player ${player}`) && message.includes("believes it is queued"));
    expect(lost("755accdf").map((signature) => signature.summary)).toEqual([expect.stringMatching(/^after timer tick:<mode> > legacy_match lost-after: no-lost-player/)]);
    const sweep = of(found, (message) => message.startsWith("CheckStaleLoadingSessions on"))[0];
    expect(lost("47907a46").map((signature) => signature.id)).toEqual([sweep?.id]);
  });

  it("names the close of a connection its player had replaced, whatever that close wrote", async () => {
    const found = await legacy("stale-sweep", 52);
    const replaced = found.signatures.filter((signature) => signature.summary.startsWith("after close of a replaced connection:"));
    expect(replaced.length).toBeGreaterThan(0);
    expect(new Set(replaced.map((signature) => signature.id)).size).toBe(1);
  });

  it("names a failure a handler threw on, and only that: an instance's start that lost its PSUBSCRIBE", async () => {
    const start = of(await legacy("instance-crash", 7), (message) => message.startsWith("start on"));
    expect(start.length).toBeGreaterThan(0);
    for (const signature of start) expect(signature.summary).toMatch(/^after start > PSUBSCRIBE lost-before: no-crash/);
    const sweeps = (found: { trace: Trace; signatures: Signature[] }) => of(found, (message) => message.startsWith("CheckStaleLoadingSessions on"));
    const plain = sweeps(await legacy("malformed-input", 0, MALFORMED_FIVE))[0];
    const afterLostDel = await legacy("malformed-input", 58, MALFORMED_FIVE);
    expect(afterLostDel.trace.steps.some((step) => step.event.kind === "redis" && step.event.command === "DEL" && isRedisFailure(step.event))).toBe(true);
    expect(sweeps(afterLostDel).map((signature) => signature.id)).toContain(plain?.id);
    for (const signature of sweeps(afterLostDel)) expect(signature.id).toBe(plain?.id);
  });

  it("keeps the way the invariant broke and nothing of who wrote last when no culprit is found", async () => {
    const found = await legacy("happy-path", 0);
    const order = of(found, (_, invariant) => invariant === "queue-order")[0];
    expect(order?.summary).toBe(`queue-order: ${order?.template}`);
    expect(order?.features).toEqual([]);
  });
});
