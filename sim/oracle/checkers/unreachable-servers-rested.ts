import { sessionOfIdempotencyKey } from "../../../src/fixed/allocation.ts";
import type { Checker } from "../checker.ts";
import { Trouble } from "../step-evidence.ts";

/**
 * A dedicated server a create call could not reach (refused, or no answer until the call timed out) may be dead: it costs one failed allocation, not one per claim
 * until its registration expires (docs/fixed-server.md, rollback's `park`). So no second create call goes to it
 * before it shows it is alive: a Redis command of its own that succeeded (its heartbeat, or a fresh registration).
 * The failed call's own allocation is excused when it could not finish its rollback (a failed command on its
 * chain, or its instance crashed or paused before the allocation deadline: the sweep then ends the session and gives
 * the server back as any expiry does), or when another step ended its session before its own rollback could (a
 * member's leave, a restarted instance purging its previous incarnation's players, the sweep): whatever ends a
 * claiming session gives its server back, and the rollback then finds it stale (its own rollback, on the call's chain,
 * is the only ending that is the call's). A retrying proxy's second try of a call is that call, not another. A Redis
 * rollback since the call, or a foreign write on the server's record, may have put the server back idle, parked by
 * nobody: not judged then.
 */

/**
 * The session a create call asked a game for, named by the idempotency key in its body (`<session>:<token>`): the
 * key itself is no session id, and taken for one it matched no session, which excused every call.
 */
function sessionOf(body: string): string | null {
  try {
    const key = (JSON.parse(body) as { idempotency_key?: unknown }).idempotency_key;
    return typeof key === "string" ? sessionOfIdempotencyKey(key) : null;
  } catch {
    return null;
  }
}

interface Unreached {
  step: number;
  at: number;
  instance: string;
  session: string | null;
  /** Its session ended by a step outside the call's own chain while it was still open. */
  endedElsewhere: boolean;
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
    const unreached = new Map<string, Unreached>();
    /** Bodies of calls a retrying proxy will send again (each call's body is its own: its key names its claim). */
    const proxied = new Set<string>();
    /** The sessions of failed calls still waiting, until each ends: session id -> its call. */
    const open = new Map<string, Unreached>();
    return {
      afterStep(point, view) {
        const happened = run.observed.current;
        if (happened === null) return;
        const steps = run.observed.steps;
        for (const [session, call] of open) {
          if (view.sessions.has(session)) continue;
          // Its own rollback, on the call's chain; anything else (a leave, a purge, the sweep) gave the server back
          // first, even a leave its player's client sent on the same chain as the ready that set the call going.
          const ownRollback = happened.event.kind === "redis" && happened.event.script === "fixed:rollback" && steps.originOf(happened.id) === steps.originOf(call.step);
          call.endedElsewhere = !ownRollback;
          open.delete(session);
        }
        const event = happened.event;
        if (event.kind === "redis") {
          // Applied is alive, whether or not its reply came back: its heartbeat lists it again either way.
          if (unreached.size > 0 && (event.outcome === "ok" || event.outcome === "lost-after")) unreached.delete(event.client);
          return;
        }
        if (event.kind !== "http-request" || event.server === null || !world.servers.has(event.server)) return;
        // A retrying proxy sends a call whose reply it lost again, body and all: the same call, not another.
        const proxyRetry = proxied.delete(event.body);
        if (event.outcome === "retried") proxied.add(event.body);
        const earlier = proxyRetry ? undefined : unreached.get(event.server);
        if (event.outcome === "unreachable" || event.outcome === "silent") {
          const call: Unreached = { step: happened.id, at: point.at, instance: event.instance, session: sessionOf(event.body), endedElsewhere: false };
          unreached.set(event.server, call);
          if (call.session !== null && view.sessions.has(call.session)) open.set(call.session, call);
          else call.endedElsewhere = true;
        }
        if (earlier === undefined) return;
        const failedOnItsWay = (steps.troubleOf(steps.originOf(earlier.step)) & Trouble.redis) !== 0;
        const deadline = earlier.at + run.config.allocationTimeoutMs + run.config.matchTickMs;
        const held = world.interruptions().some((each) => each.instance === earlier.instance && each.kind !== "deaf" && each.from <= deadline && (each.until ?? deadline) >= earlier.at);
        // Redis that went back to a snapshot, or a foreign writer on the server's record, may have undone the park.
        const undone =
          world.redisRollbacks().some((rollback) => rollback.at >= earlier.at) ||
          view.servers.some((server) => server.id === event.server && steps.foreignWritten(server.key));
        if (failedOnItsWay || held || earlier.endedElsewhere || undone) return;
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
