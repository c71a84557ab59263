import { describe, expect, it } from "vitest";
import { explainViolation, keySteps } from "../../sim/report/explain.ts";
import { involvement } from "../../sim/report/involvement.ts";
import { firstFailure, handWrittenTrace, ORPHAN, P1, P2, REFUSED_LOCK_STEP, SESSION } from "./fixtures.ts";

describe("involvement", () => {
  it("infers the players and the loading session behind a violation that names only a key", () => {
    const trace = handWrittenTrace();
    const found = involvement(trace, ORPHAN);
    expect(found.players.sort()).toEqual([P1, P2].sort());
    expect(found.keys).toContain(`loading:${SESSION}`);
    expect(found.step).toBe(trace.steps.length - 1);
    expect(found.steps).toContain(REFUSED_LOCK_STEP);
    // a timer tick names neither the players nor the keys
    expect(found.steps).not.toContain(4);
  });
});

describe("explainViolation", () => {
  const trace = handWrittenTrace();
  const text = explainViolation(trace, ORPHAN);

  it("names the invariant with its meaning, the players abbreviated and the key", () => {
    expect(text.startsWith("no-orphaned-session (")).toBe(true);
    expect(text).toContain("busy dedicated server");
    expect(text).toContain(P1.slice(0, 8));
    expect(text).toContain(P2.slice(0, 8));
    expect(text).not.toContain(P1);
    expect(text).toContain("dedicated_server:ds1");
    expect(text.split("\n")).toHaveLength(1);
  });

  it("tells the refused lock, the departures and the allocation in trace order, ending with the violation", () => {
    expect(text).toContain(`(step ${REFUSED_LOCK_STEP}) i2 ran SET lock:loading:${SESSION.slice(0, 8)}`);
    expect(text).toContain("null (the lock is held elsewhere)");
    const order = ["close c4 by client", "null (the lock is held elsewhere)", "close c1 by client", "status\":\"busy", "check failed"].map((part) => text.indexOf(part));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text.trimEnd().endsWith("is busy but no player was ever told match_found for it.")).toBe(true);
    expect(text).toContain("at 10.765 s");
  });

  it("tells at most eight steps including the violation, and never a timer tick", () => {
    const told = keySteps(trace, ORPHAN);
    expect(told.length).toBeLessThanOrEqual(7);
    expect(told.map((s) => s.i)).toEqual([...told.map((s) => s.i)].sort((a, b) => a - b));
    expect(told.some((s) => s.event.kind === "timer")).toBe(false);
    expect(text.match(/\bat \d+\.\d{3} s/g)?.length ?? 0).toBeLessThanOrEqual(8);
  });

  it("mentions a crash fault of an instance the players were connected to", () => {
    const found = involvement(trace, ORPHAN);
    expect(found.steps).toContain(18);
  });

  it("reads the real malformed-input failure: the crash, the malformed player and the match that took it", async () => {
    const { trace: real } = await firstFailure("malformed-input");
    const violation = real.violations[0];
    if (!violation) throw new Error("no violation");
    const story = explainViolation(real, violation);
    expect(story).toContain(violation.invariant);
    expect(story).toContain(`step ${Math.min(violation.step, real.steps.length - 1)}`);
    if (violation.invariant === "no-crash") {
      expect(story).toMatch(/player-1/);
      expect(story).toMatch(/EVAL legacy_match/);
    }
  });

  it.each(["cancel-vs-complete", "stale-sweep", "complete-vs-stale"])("reads the real %s failure: invariant, players, steps in order", async (name) => {
    const { trace: real } = await firstFailure(name);
    const violation = real.violations[0];
    if (!violation) throw new Error("no violation");
    const story = explainViolation(real, violation);
    expect(story).toContain(violation.invariant);
    const players = involvement(real, violation).players;
    expect(players.length).toBeGreaterThan(0);
    for (const player of players) expect(story).toContain(player.slice(0, 8));
    expect(story).toMatch(/In order: at \d+\.\d{3} s/);
    const told = [...story.matchAll(/\(step (\d+)\)/g)].map((m) => Number(m[1]));
    expect(told).toEqual([...told].sort((a, b) => a - b));
    expect(told.at(-1)).toBe(Math.min(violation.step, real.steps.length - 1));
    expect(story).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  });
});
