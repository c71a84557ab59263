import type { Checker } from "../checker.ts";
import { Trouble } from "../step-evidence.ts";

/**
 * A dedicated server a create call could not reach (refused, or no answer until the call timed out) may be dead: it costs one failed allocation, not one per claim
 * until its registration expires (docs/fixed-server.md, rollback's `park`). So no second create call goes to it
 * before it shows it is alive: a Redis command of its own that succeeded (its heartbeat, or a fresh registration).
 * The failed call's own allocation is excused when it could not finish its rollback (a failed command on its
 * chain, or its instance crashed or paused before the allocation deadline: the sweep then ends the session and gives
 * the server back as any expiry does), or when one of its players left while it ran, the call included (the leave
 * gave the server back).
 */

/** The players a create call asked a game for, from its body. */
function playersOf(body: string): string[] {
  try {
    const players = (JSON.parse(body) as { players?: unknown }).players;
    return Array.isArray(players) ? players.filter((each) => typeof each === "string") : [];
  } catch {
    return [];
  }
}
export default {
  name: "unreachable-servers-rested",
  meaning:
    "a dedicated server a create call could not reach gets no other create call before it proves alive (Redis applies a command of its own, " +
    "its reply lost or not)",
  rank: 56,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    /** Server id -> the step and time of the create call that could not reach it, until it proves alive. */
    const unreached = new Map<string, { step: number; at: number; instance: string; players: string[] }>();
    return {
      afterStep(point) {
        const happened = run.observed.current;
        if (happened === null) return;
        const event = happened.event;
        if (event.kind === "redis") {
          // Applied is alive, whether or not its reply came back: its heartbeat lists it again either way.
          if (unreached.size > 0 && (event.outcome === "ok" || event.outcome === "lost-after")) unreached.delete(event.client);
          return;
        }
        if (event.kind !== "http-request" || event.server === null || !world.servers.has(event.server)) return;
        const earlier = unreached.get(event.server);
        if (event.outcome === "unreachable" || event.outcome === "silent") unreached.set(event.server, { step: happened.id, at: point.at, instance: event.instance, players: playersOf(event.body) });
        if (earlier === undefined) return;
        const steps = run.observed.steps;
        const failedOnItsWay = (steps.troubleOf(steps.originOf(earlier.step)) & Trouble.redis) !== 0;
        const deadline = earlier.at + run.config.allocationTimeoutMs + run.config.matchTickMs;
        const held = world.interruptions().some((each) => each.instance === earlier.instance && each.kind !== "deaf" && each.from <= deadline && (each.until ?? deadline) >= earlier.at);
        const since = steps.timeOf(steps.originOf(earlier.step)) ?? earlier.at;
        const left = earlier.players.some((id) =>
          run.players.get(id)?.connections.some((connection) => {
            const closed = connection.serverClosedAt ?? null;
            // While the call still waited (at most its timeout): the leave ended the session before the rollback
            // that would have parked the server.
            return closed !== null && closed >= since && closed <= earlier.at + run.config.allocationRequestTimeoutMs;
          }),
        );
        if (failedOnItsWay || held || left) return;
        run.report(point, `again:${event.server}:${earlier.step}`, {
          kind: "unreachable server asked again",
          message: `a create call could not reach ${event.server} at ${(earlier.at / 1000).toFixed(1)} s, and ${event.instance} sent it another at ${(point.at / 1000).toFixed(1)} s before it showed any sign of life`,
          players: [],
          keys: [],
        });
      },
    };
  },
} satisfies Checker;
