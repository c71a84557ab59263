import { describe, expect, it } from "vitest";
import { boundsFor, Oracle } from "../../sim/oracle/oracle.ts";
import type { ServerSlotView } from "../../sim/oracle/server-view.ts";
import { config, view, worldFacts, type WorldBuild } from "./fixtures.ts";

const timer = (id: number) => ({ id, cause: null, event: { kind: "timer" as const, owner: "i1", timer: "tick:Normal_1v1" } });

/**
 * ds1 is seen idle at 1 s, then turns `status` at 2 s with its registration lasting until `until` (Redis TIME is
 * the run's clock here); the claims-live-servers verdicts.
 */
function judged(status: string, until: number | null | undefined, build: WorldBuild = {}): string[] {
  const oracle = new Oracle([], config, boundsFor(config, 0), { world: worldFacts(build) });
  const slot = (now: string): ServerSlotView => ({
    id: "ds1",
    key: "{mm}:server:ds1",
    address: "ds1.sim:7000",
    status: now,
    ...(until === undefined ? {} : { registeredUntil: until }),
  });
  oracle.afterStep(0, 1_000, view((v) => v.servers.push(slot("idle"))), timer(0));
  oracle.afterStep(1, 2_000, view((v) => v.servers.push(slot(status))), timer(1));
  return oracle.violations.filter((violation) => violation.invariant === "claims-live-servers").map((violation) => violation.message);
}

describe("claims-live-servers", () => {
  it("fires when a server turns claimed after its registration lapsed, or while it is not registered at all", () => {
    expect(judged("claimed", 1_999)).toEqual([
      "ds1 was claimed for a session although its registration had lapsed 1 ms before: the create call may go to a server that is gone",
    ]);
    expect(judged("claimed", null)).toEqual([
      "ds1 was claimed for a session although it was not registered at all: the create call may go to a server that is gone",
    ]);
  });

  it("stays quiet for a claim while the registration lasts (to its last millisecond), for other moves, where the variant keeps no expiry, and on a foreign writer's record", () => {
    expect(judged("claimed", 2_000)).toEqual([]);
    expect(judged("claimed", 60_000)).toEqual([]);
    expect(judged("busy", 1_000)).toEqual([]);
    expect(judged("claimed", undefined)).toEqual([]);
    expect(judged("claimed", 1_000, { foreignWrites: [{ at: 1_500, keys: ["{mm}:server:ds1"] }] })).toEqual([]);
  });

  it("does not judge a claim a Redis rollback restored, whose registration lapsed since; a claim after a server's command is judged", () => {
    // Redis goes back at 1 s to a snapshot in which ds1 was claimed while registered until 1.5 s; it lapsed since.
    const oracle = new Oracle([], config, boundsFor(config, 0), { world: worldFacts({ redisRollbacks: [{ at: 1_000, savedAt: 500 }] }) });
    const slot = (status: string): ServerSlotView => ({ id: "ds1", key: "{mm}:server:ds1", address: "ds1.sim:7000", status, registeredUntil: 1_500 });
    const rollback = { id: 0, cause: null, event: { kind: "fault" as const, fault: "redis-rollback", target: "", note: "500 ms", effect: "keys replaced" } };
    const script = (id: number) => ({
      id,
      cause: null,
      event: { kind: "redis" as const, client: "i1", command: "EVALSHA", script: "fixed:claim_server", keys: [], args: [], outcome: "ok" as const, reply: null, error: null, reads: ["{mm}:epoch"], writes: ["{mm}:server:ds1"], readsAll: false },
    });
    oracle.afterStep(0, 1_000, view((v) => v.servers.push(slot("idle"))), rollback);
    oracle.afterStep(1, 2_000, view((v) => v.servers.push(slot("claimed"))), timer(1));
    const claims = () => oracle.violations.filter((violation) => violation.invariant === "claims-live-servers");
    expect(claims()).toEqual([]);
    oracle.afterStep(2, 3_000, view((v) => v.servers.push(slot("idle"))), script(2));
    oracle.afterStep(3, 4_000, view((v) => v.servers.push(slot("claimed"))), script(3));
    expect(claims().map((violation) => violation.step)).toEqual([3]);
  });
});
