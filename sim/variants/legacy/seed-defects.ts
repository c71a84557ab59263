import { isRefusedLock } from "../../trace/facts.ts";
import type { CauseFacts, SeedDefect } from "../kit.ts";
import { LOADING_PREFIX, LOCK_PREFIX } from "../../../src/legacy/keys.ts";
import { RELEASE_LOCK_SCRIPT } from "../../../src/legacy/scripts.ts";
import { gaveUpAt } from "../../report/fate.ts";

/** The timer the legacy server's stale sweep (CheckStaleLoadingSessions) runs on. */
const SWEEP = "sweep";

/** What started the handler a step belongs to, as the defects tell it. */
type Starter = "ready" | "quit" | "sweep" | "other";

function starter(facts: CauseFacts, index: number): Starter {
  const root = facts.graph.steps[facts.graph.root(index)]?.event;
  if (root?.kind === "close") return "quit";
  if (root?.kind === "timer" && root.timer === SWEEP) return "sweep";
  if (root?.kind === "frame-in") return "ready";
  return "other";
}

/** A session lock refused in the slice whose handler gave up there: the message it carried was dropped. */
function droppedAtSessionLock(facts: CauseFacts): { dropped: Starter; holder: Starter } | null {
  for (const index of facts.steps) {
    const event = facts.graph.steps[index]?.event;
    if (event === undefined || !isRefusedLock(event) || event.kind !== "redis") continue;
    if (!String(event.args[0]).startsWith(`${LOCK_PREFIX}${LOADING_PREFIX}`)) continue;
    const root = facts.graph.root(index);
    if (gaveUpAt(facts.graph, root) !== index) continue;
    const holder = facts.graph.holder(index);
    return { dropped: starter(facts, index), holder: holder === null ? "other" : starter(facts, holder) };
  }
  return null;
}

/** The stale sweep deleted a session the slice is about. */
function sweepEndedSession(facts: CauseFacts): boolean {
  return facts.steps.some((index) => {
    const event = facts.graph.steps[index]?.event;
    return event?.kind === "redis" && event.command === "DEL" && event.writes.some((key) => key.startsWith(LOADING_PREFIX)) && starter(facts, index) === "sweep";
  });
}

/**
 * A step of the slice that a loading_complete's handler took after releasing the session lock: the allocation
 * (server search, request, re-queue) the port runs unprotected. What it was, when there is one.
 */
function unprotectedAllocation(facts: CauseFacts): "requeue" | "request" | null {
  const { graph } = facts;
  for (const index of facts.steps) {
    const event = graph.steps[index]?.event;
    const writes = event?.kind === "redis" && event.writes.some((key) => !key.startsWith(LOCK_PREFIX));
    if (!writes && event?.kind !== "http-request") continue;
    // A request starts the server's handler; the instance's handler that sent it is its cause's.
    const sender = event?.kind === "http-request" ? graph.cause(index) : index;
    if (sender === null || starter(facts, sender) !== "ready") continue;
    for (let at = graph.cause(index); at !== null; at = graph.cause(at)) {
      const earlier = graph.steps[at]?.event;
      if (earlier?.kind === "redis" && earlier.script === RELEASE_LOCK_SCRIPT.name && earlier.keys.some((key) => key.startsWith(`${LOCK_PREFIX}${LOADING_PREFIX}`))) {
        return event?.kind === "http-request" ? "request" : "requeue";
      }
    }
  }
  return null;
}

/**
 * A player the violation names left (its close is in the slice) and is still held: in a loading session it names,
 * or in the queue the stale sweep put it back in.
 */
function quitAsMatched(facts: CauseFacts): boolean {
  const named = new Set(facts.violation.players);
  const quit = facts.steps.some((index) => {
    const event = facts.graph.steps[index]?.event;
    return event?.kind === "close" && event.by === "client" && named.has(event.player);
  });
  if (!quit) return false;
  if (facts.violation.keys.some((key) => key.startsWith(LOADING_PREFIX))) return true;
  return facts.steps.some((index) => {
    const event = facts.graph.steps[index]?.event;
    return event?.kind === "redis" && event.command === "SADD" && starter(facts, index) === "sweep" && event.args.some((arg) => named.has(String(arg)));
  });
}

/**
 * Which of the four defects POTENTIAL_BUGS lists a legacy failure is, from the typed facts of its causal slice;
 * null when none is recognised (the report then names the signature alone).
 */
export function legacySeedDefect(facts: CauseFacts): SeedDefect | null {
  // Every panic of the port is an unwrap() of something it could not parse: a malformed id, foreign data.
  if (facts.violation.invariant === "no-crash") return { defect: 4, name: "a handler unwraps input it cannot parse, and the instance dies" };
  const dropped = droppedAtSessionLock(facts);
  if (dropped !== null) {
    const what = dropped.dropped === "quit" ? "quit" : dropped.dropped === "ready" ? "loading_complete" : "handler";
    if (dropped.holder === "sweep") return { defect: 3, name: `the stale sweep holds the session lock, so a ${what} refused it is dropped` };
    if (dropped.dropped === "ready" && dropped.holder === "ready") {
      return { defect: 2, name: "two loading_completes race for the session lock; the one refused it is dropped (the lock is never retried)" };
    }
    return { defect: 2, name: `a quit and a loading_complete race for the session lock; the ${what} refused it is dropped` };
  }
  if (sweepEndedSession(facts)) return { defect: 3, name: "the stale sweep ends a loading session its players were completing" };
  const allocation = unprotectedAllocation(facts);
  if (allocation !== null) {
    const what = allocation === "requeue" ? "its players are re-queued without a word when it finds no server" : "two allocations can take one server";
    return { defect: 1, name: `the allocation runs after the session lock is released: ${what}` };
  }
  if (facts.violation.invariant === "no-lost-player" && quitAsMatched(facts)) {
    return facts.violation.keys.some((key) => key.startsWith(LOADING_PREFIX))
      ? { defect: 3, name: "a player who quit as it was matched stays in a loading session the stale sweep never cleans up" }
      : { defect: 3, name: "a player who quit as it was matched is put back in the queue when the stale sweep ends its session" };
  }
  return null;
}
