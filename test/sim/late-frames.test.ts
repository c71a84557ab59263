import { describe, expect, it } from "vitest";
import { BASE } from "../../scenarios/defaults.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { WorldOptions } from "../../sim/scenario/options.ts";
import type { Trace } from "../../sim/trace/trace.ts";

/**
 * One instance and one dedicated server, players who send their enqueue twice, half of all frames and deliveries
 * held up (100 ms to 3 s), games under a second, network drops and server deaths by choice: frames that arrive
 * long after they were sent, past the events they were sent before.
 */
const options: WorldOptions = {
  ...BASE,
  instances: 1,
  servers: 1,
  players: ["enqueues-twice", "enqueues-twice", "enqueues-twice", "normal", "normal", "normal", "normal"],
  gameMs: { min: 300, max: 800 },
  choices: { "server-death": 0.7, "network-drop": 0.7 },
  faults: { ...BASE.faults, messageDelay: 0.5 },
  events: { ...BASE.events, disconnects: 4 },
};
const run = (seed: number, world: WorldOptions = options) => runOnce({ scenario: "late-frames", server: "fixed", seed, strategy: "preempt", options: world });
/** The same world with a fifth of Redis commands slow (100 ms to 2 s): a script may run well after its frame came. */
const slowRedis: WorldOptions = { ...options, faults: { ...options.faults, redisSlow: 0.2 } };

/** Player -> the distinct sessions it was told match_found for, on any connection. */
function gamesTold(trace: Trace): Map<string, Set<string>> {
  const told = new Map<string, Set<string>>();
  for (const { event } of trace.steps) {
    if (event.kind !== "frame-out" || event.dropped || !event.text.includes("match_found")) continue;
    const sessions = told.get(event.player) ?? new Set<string>();
    sessions.add((JSON.parse(event.text) as { session_id: string }).session_id);
    told.set(event.player, sessions);
  }
  return told;
}

describe("frames that arrive long after they were sent", () => {
  // Seeds of this world where it happens, found by running it (the oracle used to call each a double match).
  it("takes a copy of an enqueue that reaches the server after the player's game ended as a request to play again", async () => {
    for (const seed of [84, 186, 219]) {
      const trace = await run(seed);
      // An enqueues-twice client, its second frame held up past its short game: queued afresh, then a second game.
      expect(trace.coverage["fixed.enqueue.queued.after_game"] ?? 0, `seed ${seed}`).toBeGreaterThan(0);
      expect([...gamesTold(trace).values()].some((sessions) => sessions.size > 1), `seed ${seed}`).toBe(true);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
  });

  it("takes a copy that came once its connection was told of the game, its script slow to reach Redis past the game's end, as asking again", async () => {
    for (const seed of [35, 206]) {
      const trace = await run(seed, slowRedis);
      expect(trace.coverage["fixed.enqueue.queued.after_game"] ?? 0, `seed ${seed}`).toBeGreaterThan(0);
      expect([...gamesTold(trace).values()].some((sessions) => sessions.size > 1), `seed ${seed}`).toBe(true);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
  });

  it("counts a ready that reached the server on a connection another had taken over as nothing: the one sent again there counts", async () => {
    for (const seed of [21, 356]) {
      const trace = await run(seed);
      // The server ignored the ready from the replaced connection, and allocated on the one sent on the new.
      const ignored = trace.steps.some(({ event }) => event.kind === "redis" && event.script === "fixed:ready" && JSON.stringify(event.reply) === '["ignored","not_owner"]');
      expect(ignored, `seed ${seed}`).toBe(true);
      expect(trace.verdict, `seed ${seed}: ${JSON.stringify(trace.violations[0])}`).toBe("pass");
    }
  });
});
