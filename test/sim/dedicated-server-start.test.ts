import { describe, expect, it } from "vitest";
import { runOnce } from "../../sim/run/run-once.ts";
import { drawSwarmWorld } from "../../sim/scenario/swarm-world.ts";
import type { RedisEvent } from "../../sim/trace/events.ts";

describe("a simulated dedicated server's start-up", () => {
  it("keeps its heartbeat when every registration attempt failed, and registers once Redis answers, as the real binary does", async () => {
    // swarm-world 460 as it was drawn when found (before worlds drew a server heartbeat, rollbacks, foreign
    // publishes, a retrying proxy and Redis clock steps, and offered partitions): ds1 starts again inside a lossy
    // stretch of its Redis connection, and loses every attempt.
    const { serverHeartbeatMs: _, ...newer } = drawSwarmWorld(460);
    const drawn = { ...newer, faults: { ...newer.faults, serverRetried: 0 }, events: { ...newer.events, redisRollbacks: 0, garbagePublishes: 0, redisClockJumps: 0 } };
    const choices = Object.fromEntries(Object.entries(drawn.choices ?? {}).filter(([kind]) => kind !== "server-partition"));
    const trace = await runOnce({ scenario: "swarm-world", server: "fixed", seed: 460, strategy: "preempt", options: { ...drawn, choices } });
    const registrations = trace.steps.filter(
      (step): step is typeof step & { event: RedisEvent } => step.event.kind === "redis" && step.event.client === "ds1" && step.event.script === "fixed:register_server",
    );
    const failedRun = registrations.findIndex((_, i) => registrations.slice(i, i + 10).length === 10 && registrations.slice(i, i + 10).every((step) => step.event.outcome !== "ok"));
    expect(failedRun).toBeGreaterThanOrEqual(0);
    const after = registrations.slice(failedRun + 10);
    expect(after.some((step) => step.event.outcome === "ok")).toBe(true);
    expect(trace.violations.map((violation) => violation.invariant)).not.toContain("eventual-match");
  });
});
