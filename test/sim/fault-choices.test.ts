import { describe, expect, it } from "vitest";
import { findScenario } from "../../scenarios/index.ts";
import { rerun } from "../../sim/run/rerun.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import type { FaultEvent, HttpRequestEvent } from "../../sim/trace/events.ts";
import type { Trace, TraceStep } from "../../sim/trace/trace.ts";

const base = findScenario("cancel-vs-complete")!.options;
const run = (options: WorldOptions, seed: number, server: "legacy" | "fixed" = "legacy") =>
  runOnce({ scenario: "cancel-vs-complete", server, seed, strategy: "preempt", options });
const chosen = (trace: Trace): Array<TraceStep & { event: FaultEvent }> =>
  trace.steps.filter((step): step is TraceStep & { event: FaultEvent } => step.event.kind === "fault" && step.event.note.endsWith("by choice"));

describe("faults as choices", () => {
  it("strike a crash right after a step of the instance's own, while one of its handlers waits on Redis", async () => {
    let crashes = 0;
    for (let seed = 0; seed < 30; seed++) {
      const trace = await run({ ...base, choices: { crash: 1 } }, seed);
      for (const step of chosen(trace)) {
        if (step.event.fault !== "crash") continue;
        crashes++;
        const before = trace.steps[step.i - 1] as TraceStep;
        expect(before.lane).toBe(`instance:${step.event.target}`);
        // The restart the crash asked for follows, and no other kind was enabled.
        expect(trace.steps.some((later) => later.i > step.i && later.event.kind === "fault" && later.event.fault === "restart")).toBe(true);
      }
      expect(chosen(trace).every((step) => step.event.fault === "crash")).toBe(true);
    }
    expect(crashes).toBeGreaterThan(15);
  });

  it("lose the command a connection sends next, or its reply, and each run replays identically", async () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const trace = await run({ ...base, choices: { "lost-command": 1, "lost-reply": 1 } }, seed, "fixed");
      for (const step of chosen(trace)) {
        const next = trace.steps.find((later) => later.i > step.i && later.event.kind === "redis" && later.event.client.startsWith(step.event.target));
        if (next?.event.kind === "redis") outcomes.add(`${step.event.fault}:${next.event.outcome}`);
      }
      if (seed < 3) expect((await rerun(trace)).hash).toBe(trace.hash);
    }
    expect(outcomes).toEqual(new Set(["lost-command:lost-before", "lost-reply:lost-after"]));
  });

  it("turn a connection lossy for a while: several of its commands lost in a row, none after the stretch, and each run replays identically", async () => {
    let stretches = 0;
    let lostInStretch = 0;
    for (let seed = 0; seed < 30; seed++) {
      const trace = await run({ ...base, choices: { "flaky-link": 1 } }, seed, "fixed");
      for (const step of chosen(trace)) {
        expect(step.event.fault).toBe("flaky-link");
        const match = /^(\S+) loses (\d+)% of its commands or replies for (\d+) ms$/.exec(step.event.effect);
        if (match === null) continue;
        stretches++;
        const [, client, , duration] = match;
        const until = step.t + Number(duration);
        const commands = trace.steps.filter((later) => later.i > step.i && later.event.kind === "redis" && later.event.client === client);
        const lost = (each: TraceStep) => each.event.kind === "redis" && (each.event.outcome === "lost-before" || each.event.outcome === "lost-after");
        lostInStretch += commands.filter((each) => each.t <= until && lost(each)).length;
        // Past the stretch nothing is lost on this connection: no other fault was enabled.
        expect(commands.filter((each) => each.t > until && lost(each))).toEqual([]);
      }
      if (seed < 3) expect((await rerun(trace)).hash).toBe(trace.hash);
    }
    expect(stretches).toBeGreaterThanOrEqual(5);
    expect(lostInStretch).toBeGreaterThan(stretches);
  });

  it("change nothing in a run that enables none: draws come from streams of their own", async () => {
    for (let seed = 0; seed < 5; seed++) {
      const off = await run({ ...base, choices: {} }, seed);
      const zero = await run({ ...base, choices: { crash: 0, pause: 0 } }, seed);
      expect(zero.decisions).toEqual(off.decisions);
      expect(zero.steps.length).toBe(off.steps.length);
    }
  });

  it("strike late too, while what the active phase started meets its deadlines, and the world settles after the last strike", async () => {
    // complete-vs-stale's sessions meet their deadlines after the active phase; cancel-vs-complete's world is
    // quiet by then, and a quiet world takes no late strikes.
    const stale = findScenario("complete-vs-stale")!.options;
    let late = 0;
    for (let seed = 0; seed < 40; seed++) {
      const trace = await runOnce({ scenario: "complete-vs-stale", server: "fixed", seed, strategy: "preempt", options: { ...stale, choices: { crash: 1, "network-drop": 1 } } });
      for (const step of chosen(trace)) if (step.t > stale.activeMs) late++;
      const last = chosen(trace).at(-1);
      if (last) expect((trace.steps.at(-1) as TraceStep).t - last.t).toBeGreaterThanOrEqual(stale.settleMs);
      expect(trace.verdict).toBe("pass");
    }
    expect(late).toBeGreaterThan(5);
  });

  it("strike in a world that went quiet before their time, at the next point where they are available, and settle after", async () => {
    // server-contention is busy in its first seconds only: a crash armed for later in the active phase found the
    // world quiet and was withdrawn unstruck, in most runs that enabled it (4 of these 30 struck).
    const contention = findScenario("server-contention")!.options;
    let struck = 0;
    for (let seed = 0; seed < 30; seed++) {
      const trace = await runOnce({ scenario: "server-contention", server: "fixed", seed, strategy: "preempt", options: { ...contention, choices: { crash: 1 } } });
      const strikes = chosen(trace);
      if (strikes.length > 0) struck++;
      const last = strikes.at(-1);
      if (last) expect((trace.steps.at(-1) as TraceStep).t - last.t).toBeGreaterThanOrEqual(contention.settleMs);
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
    expect(struck).toBeGreaterThanOrEqual(12);
  });

  it("kill a dedicated server right after a step of its own, one that wrote its record, or while a create call to it waits; a request arriving after the death is refused", async () => {
    const contention = findScenario("server-contention")!.options;
    const moments = new Map<string, number>();
    for (let seed = 0; seed < 100; seed++) {
      const trace = await runOnce({ scenario: "server-contention", server: "fixed", seed, strategy: "preempt", options: { ...contention, choices: { "server-death": 1 } } });
      for (const step of chosen(trace)) {
        expect(step.event.fault).toBe("server-death");
        const server = step.event.target;
        const before = trace.steps[step.i - 1] as TraceStep;
        // What was sent to it before it died and arrives after: no game is created by a dead process.
        const revived = trace.steps.find((later) => later.i > step.i && later.event.kind === "fault" && later.event.fault === "server-return" && later.event.target === server);
        const arrivals = trace.steps.filter(
          (later) => later.i > step.i && (revived === undefined || later.i < revived.i) && later.event.kind === "http-request" && later.event.server === server,
        );
        for (const arrival of arrivals) expect(arrival.event.kind === "http-request" && arrival.event.outcome).toBe("unreachable");
        const moment =
          before.lane === `ds:${server}` ? "own step" : before.event.kind === "redis" && before.event.writes.includes(`{mm}:server:${server}`) ? "record written" : "call waiting";
        if (moment === "call waiting") {
          // A create call sent to it before the death ends after it: refused on arrival, answered, or timed out.
          const address = trace.steps.find((each) => each.event.kind === "http-request" && each.event.server === server)?.event as HttpRequestEvent;
          const ended = trace.steps.some(
            (later) =>
              later.i > step.i &&
              ((later.event.kind === "http-request" && later.event.server === server) ||
                (later.event.kind === "http-reply" && later.event.address === address.address) ||
                (later.event.kind === "http-timeout" && later.event.url.includes(address.address))),
          );
          expect(ended).toBe(true);
        }
        moments.set(moment, (moments.get(moment) ?? 0) + 1);
      }
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
    }
    expect([...moments.keys()].sort()).toEqual(["call waiting", "own step", "record written"]);
  });
  it("cut a dedicated server's host off the network for a while: calls meet silence, its Redis commands fail, and it carries on once the partition heals", async () => {
    let partitions = 0;
    let silenced = 0;
    let healed = 0;
    for (let seed = 0; seed < 40; seed++) {
      const trace = await run({ ...base, choices: { "server-partition": 1 } }, seed, "fixed");
      for (const step of chosen(trace)) {
        expect(step.event.fault).toBe("server-partition");
        const match = /^(\S+) cut off from the network for (\d+) ms$/.exec(step.event.effect);
        expect(match).not.toBeNull();
        partitions++;
        const [, server, duration] = match as RegExpExecArray;
        const until = step.t + Number(duration);
        const within = trace.steps.filter((later) => later.i > step.i && later.t < until);
        for (const each of within) {
          // Nothing reaches it: no call is handled or refused, and no command of its own is applied.
          if (each.event.kind === "http-request" && each.event.server === server) {
            expect(each.event.outcome).toBe("silent");
            silenced++;
          }
          if (each.event.kind === "redis" && each.event.client === server) expect(each.event.outcome).toBe("lost-before");
        }
        const after = trace.steps.filter((later) => later.t > until && later.event.kind === "redis" && later.event.client === server);
        if (after.some((each) => each.event.kind === "redis" && each.event.outcome === "ok")) healed++;
      }
      expect(trace.verdict, JSON.stringify(trace.violations.slice(0, 2))).toBe("pass");
      if (seed < 3) expect((await rerun(trace)).hash).toBe(trace.hash);
    }
    expect(partitions).toBeGreaterThanOrEqual(5);
    expect(silenced).toBeGreaterThan(0);
    expect(healed).toBeGreaterThan(0);
  });
});

describe("runs that keep going", () => {
  it("record every violation, each once, and run the end checks; --stop-at-first gives the same verdict", async () => {
    const options = findScenario("malformed-input")!.options;
    for (let seed = 0; seed < 5; seed++) {
      const going = await runOnce({ scenario: "malformed-input", server: "legacy", seed, strategy: "preempt", options });
      const stopped = await runOnce({ scenario: "malformed-input", server: "legacy", seed, strategy: "preempt", options, stopAtFirst: true });
      expect(going.verdict).toBe(stopped.verdict);
      // Stopped at the first step that broke anything: every violation that step found, as the full run found them.
      expect(stopped.violations.length).toBeGreaterThan(0);
      expect(new Set(stopped.violations.map((v) => v.step)).size).toBe(1);
      expect(going.violations.slice(0, stopped.violations.length)).toEqual(stopped.violations);
      expect(going.steps.length).toBeGreaterThan(stopped.steps.length);
      const endChecked = going.violations.some((v) => v.step === going.steps.length - 1 && ["no-lost-player", "ready-respected", "eventual-match"].includes(v.invariant));
      const keys = going.violations.map((v) => `${v.invariant}|${v.kind}|${v.players.join()}|${v.keys.join()}|${v.message}`);
      expect(new Set(keys).size).toBe(keys.length);
      if (seed === 0) expect(endChecked).toBe(true);
    }
  });

});

