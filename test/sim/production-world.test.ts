import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import { Keys } from "../../src/fixed/keys.ts";
import { FixedText } from "../../src/fixed/messages.ts";
import { ScriptRunner } from "../../src/fixed/scripts.ts";
import { findScenario } from "../../scenarios/index.ts";
import { Rng } from "../../sim/random/rng.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { RedisEvent } from "../../sim/trace/events.ts";
import { isScriptCacheMiss } from "../../sim/trace/facts.ts";
import type { Trace } from "../../sim/trace/trace.ts";
import { KITS } from "../../sim/variants/index.ts";
import { ManualTime } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";

/** What the simulated world now does that production does: the behaviours the worlds never showed before. */

async function traces(scenario: string, seeds: number[]): Promise<Trace[]> {
  const options = findScenario(scenario)!.options;
  return Promise.all(seeds.map((seed) => runOnce({ scenario, server: "fixed", seed, strategy: "preempt", options })));
}

/** The runs of a script, without the EVALSHA a cold script cache refused (its EVAL follows). */
function scripts(trace: Trace, name: string): RedisEvent[] {
  return trace.steps
    .map((step) => step.event)
    .filter((event): event is RedisEvent => event.kind === "redis" && event.script === `fixed:${name}` && !isScriptCacheMiss(event));
}

const SEEDS = Array.from({ length: 12 }, (_, i) => i);

describe("a world closer to production", () => {
  it("ends games: dedicated servers release themselves when a game's drawn length runs out", async () => {
    const runs = await traces("happy-path", SEEDS);
    const released = runs.flatMap((trace) => scripts(trace, "release_server")).filter((event) => (event.reply as string[])[0] === "released");
    expect(released.length).toBeGreaterThan(0);
    expect(runs.every((trace) => trace.verdict === "pass")).toBe(true);
  });

  it("restarts some instances under their previous id: the fresh registration purges the old incarnation's records, and connection ids recur", async () => {
    const runs = await traces("instance-crash", SEEDS);
    let keptIds = 0;
    let recurring = 0;
    for (const trace of runs) {
      const fresh = scripts(trace, "register_instance").filter((event) => event.args[2] === "1" && event.outcome === "ok");
      const byId = new Map<string, Set<string>>();
      for (const event of fresh) byId.set(String(event.args[0]), (byId.get(String(event.args[0])) ?? new Set()).add(event.client));
      keptIds += [...byId.values()].filter((clients) => clients.size > 1).length;
      // One server-side connection id, enqueued through two incarnations.
      const enqueuers = new Map<string, Set<string>>();
      for (const event of scripts(trace, "enqueue")) enqueuers.set(String(event.args[2]), (enqueuers.get(String(event.args[2])) ?? new Set()).add(event.client));
      recurring += [...enqueuers.values()].filter((clients) => clients.size > 1).length;
    }
    expect(keptIds).toBeGreaterThan(0);
    expect(recurring).toBeGreaterThan(0);
  });

  it("fails SUBSCRIBE at the scenario's rate, and the instance subscribes again from its presence job", async () => {
    const runs = await traces("instance-crash", SEEDS);
    let recovered = 0;
    for (const trace of runs) {
      const subscribes = trace.steps.map((step) => step.event).filter((event): event is RedisEvent => event.kind === "redis" && event.command === "SUBSCRIBE");
      for (const [index, event] of subscribes.entries()) {
        if (event.outcome === "ok") continue;
        if (subscribes.slice(index + 1).some((later) => later.client === event.client && later.outcome === "ok")) recovered++;
      }
    }
    expect(recovered).toBeGreaterThan(0);
  });

  it("loses an instance's subscriptions for a moment: what was published meanwhile is lost, and the instance tells its connections again", async () => {
    const runs = await traces("instance-crash", SEEDS);
    const resyncs = runs.flatMap((trace) => scripts(trace, "resync"));
    expect(resyncs.length).toBeGreaterThan(0);
    expect(runs.every((trace) => trace.verdict === "pass")).toBe(true);
  });

  it("writes plausible foreign records: a listed server with a real address and a status that is not idle, which a claim skips", async () => {
    const servers = ["ds1.sim:7001", "ds2.sim:7002"];
    let redis = createTestRedis(new ManualTime());
    for (let seed = 0; ; seed++) {
      redis = createTestRedis(new ManualTime());
      const text = KITS.fixed.corrupt(redis.engine, DEFAULT_CONFIG, new Rng(`plausible:${seed}`), servers);
      if (/status (claimed|busy)/.test(text)) break;
    }
    const listed = redis.engine.inspect(Keys.idleServers);
    const id = listed?.type === "zset" ? (listed.value[0]?.[0] ?? "") : "";
    const record = redis.engine.inspect(Keys.server(id));
    expect(record?.type === "hash" && servers.includes(record.value.address ?? "") && record.value.status !== "idle").toBe(true);
    // A claim for a live allocating session meets the listed record, skips it, and finds nothing else.
    const runner = new ScriptRunner(redis.port("claim"));
    redis.engine.execute("HSET", [Keys.session("s1"), "status", "allocating", "token", "1", "mode", "Normal_1v1", "players", "a,b"]);
    const reply = (await runner.run("claim_server", Keys.session("s1"), ["s1", "1", "attempt"])) as Array<string | number>;
    expect(reply[0]).toBe("none");
    expect(Number(reply[1])).toBeGreaterThan(0);
  });

  it("cuts Redis off for as long as a failover takes, past a client's every retry, and every run passes", async () => {
    const runs = await traces("redis-restart", SEEDS);
    const outages = runs.flatMap((trace) =>
      trace.steps.flatMap((step) => (step.event.kind === "fault" && step.event.fault === "redis-outage" ? [Number.parseInt(step.event.note, 10)] : [])),
    );
    expect(outages.some((ms) => ms > 9_100)).toBe(true);
    expect(runs.every((trace) => trace.verdict === "pass")).toBe(true);
  });

  it("spoils real players' records: the fixed server tells each such connection to start over, and every run passes", async () => {
    const runs = await traces("malformed-input", Array.from({ length: 40 }, (_, i) => i));
    const spoiled = runs.filter((trace) =>
      trace.steps.some((step) => step.event.kind === "fault" && step.event.effect.startsWith(`HSET ${Keys.player("")}`)),
    );
    expect(spoiled.length).toBeGreaterThan(0);
    const told = spoiled.filter((trace) =>
      trace.steps.some((step) => step.event.kind === "frame-out" && step.event.text.includes(FixedText.stateLost)),
    );
    expect(told.length).toBeGreaterThan(0);
    expect(runs.every((trace) => trace.verdict === "pass")).toBe(true);
  });

  it("takes over a queued player from its second connection in another mode (swarm's two modes)", async () => {
    const [trace] = await traces("swarm", [3]);
    const enqueues = scripts(trace!, "enqueue");
    const switched = enqueues.filter((event, index) => {
      const reply = Array.isArray(event.reply) ? event.reply : [];
      if (reply[0] !== "resumed" || reply[1] !== "queued") return false;
      const earlier = enqueues.slice(0, index).findLast((before) => before.args[0] === event.args[0]);
      return earlier !== undefined && earlier.args[1] !== event.args[1];
    });
    expect(switched.length).toBeGreaterThan(0);
    expect(trace!.verdict).toBe("pass");
  });
});
