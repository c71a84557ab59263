import { ErrorText } from "../../../src/protocol/index.ts";
import { serverMessage } from "../../trace/facts.ts";
import type { Checker } from "../checker.ts";
import type { StepEvidence } from "../step-evidence.ts";

/**
 * The request a step's work belongs to: the origin of its chain or, for a chain a timer began (a handler's own
 * deadline), the origin of the chain that set the timer.
 */
function requestOf(steps: StepEvidence, id: number): number {
  const origin = steps.path(id).origin;
  if (steps.originEvent(origin)?.kind !== "timer") return origin;
  const setter = steps.causeOf(origin);
  return setter === undefined ? origin : steps.path(setter).origin;
}

/** What tells a client its request to play went through. */
const PLACEMENTS: ReadonlySet<string> = new Set(["queued", "start_loading", "match_found"]);

/**
 * A client told its request failed believes it: it may ask again, give up or go elsewhere. A server that then
 * carries the failed request out anyway (its attempt still in flight when the answer went) tells the client two
 * contradicting things and holds a player who believes it is held nowhere. Judged by the causal record, so a
 * later request of the client, answered in its own right, is not mistaken for the failed one.
 */
export default {
  name: "failed-requests-stay-failed",
  meaning: `a request the server answered "${ErrorText.internal}" is not carried out afterwards: none of its work tells the client queued, start_loading or match_found`,
  rank: 52,
  create: (run) => {
    /** Connection -> the requests it was told failed. */
    const failed = new Map<string, Set<number>>();
    return {
      afterStep(point) {
        const happened = run.observed.current;
        if (happened === null || happened.event.kind !== "frame-out" || happened.event.dropped) return;
        const event = happened.event;
        const told = failed.get(event.connection);
        // Cheap for every frame: parsed only when it says the request failed, or reaches a connection that was told so.
        if (told === undefined && !event.text.includes(ErrorText.internal)) return;
        const message = serverMessage(event);
        if (message === null) return;
        const steps = run.observed.steps;
        if (message.type === "error" && message.message === ErrorText.internal) {
          const request = requestOf(steps, happened.id);
          if (told) told.add(request);
          else failed.set(event.connection, new Set([request]));
          return;
        }
        if (told === undefined || !PLACEMENTS.has(message.type)) return;
        const request = requestOf(steps, happened.id);
        if (!told.has(request)) return;
        run.report(point, `failed:${event.connection}:${request}`, {
          kind: `failed request answered ${message.type}`,
          message: `player ${event.player} was told "${ErrorText.internal}" on connection ${event.connection}, then ${message.type} made by the very request that failed`,
          players: [event.player],
          keys: [],
        });
      },
    };
  },
} satisfies Checker;
