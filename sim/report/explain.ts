import type { InvariantName, Violation } from "../oracle/invariants.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { involvement } from "./involvement.ts";
import { describeStep, isRedisFailure, isRefusedLock, playerOfConnection } from "./step-story.ts";
import { abbreviateIds, seconds } from "./text.ts";

/** What each invariant demands, in one clause. */
export const INVARIANT_MEANING: Record<InvariantName, string> = {
  "no-double-match": "a player is never placed twice at once nor told match_found for two sessions",
  "no-lost-player": "every connected player who asked to play is queued, loading or in a game, and a disconnected one is in none of those",
  "no-orphaned-session": "no loading session, busy dedicated server or lock outlives the players and deadlines behind it",
  "ready-respected": "a loading session whose members all sent loading_complete in time ends in match_found, or in an explicit error and re-queue",
  "single-allocation": "a dedicated server hosts at most one session at a time",
  "no-crash": "no handler throws and no instance dies, whatever the input",
  "eventual-match": "after settling, no willing player waits in a queue while a server is idle",
};

/** Key steps told before the violation itself. */
const STORY_STEPS = 7;

const WRITES = /^(HSET|HDEL|DEL|SADD|SREM|SET|SPOP|ZADD|ZREM|RPUSH|LPUSH|EXPIRE|PEXPIRE) /;

/** How much a step tells about a failure: refusals, failures and departures most, reads and timers least. */
function weight(step: TraceStep): number {
  switch (step.kind) {
    case "redis": {
      if (isRefusedLock(step) || isRedisFailure(step)) return 10;
      if (step.label.startsWith("EVAL legacy_release_lock") || step.label.startsWith("EVAL release_lock")) return 1;
      if (step.label.startsWith("EVAL ")) return step.detail === "[]" || step.detail === "0" || step.detail === "null" ? 3 : 6;
      if (step.label.startsWith("PUBLISH ")) return 2;
      if (/^SET lock:/.test(step.label)) return 3;
      return WRITES.test(step.label) ? 6 : 2;
    }
    case "fault":
      return 9;
    case "close":
      return 10;
    case "http-reply":
      return /^reply 2\d\d /.test(step.label) ? 4 : 8;
    case "http-request":
      return 5;
    case "frame-in":
      return 6;
    case "frame-out":
      return /"type":"queued"/.test(step.detail) ? 2 : 5;
    case "connect":
      return 3;
    case "client":
      return 2;
    case "deliver":
      return 1;
    case "timer":
      return 0;
  }
}

/** Steps that differ only in ids and tokens say the same thing twice; the story keeps the best of them. */
function shape(step: TraceStep): string {
  const generic = (text: string): string => abbreviateIds(text).replace(/[0-9a-f]{6}…/g, "#");
  return `${step.lane}|${step.kind}|${generic(step.label)}|${generic(step.detail)}`;
}

/** What the players went through once the keys were last touched is often what the check saw. */
const AFTERMATH_STEPS = 2;

/** Picks the steps worth telling: involved, informative, no two alike, at most STORY_STEPS, in trace order. */
export function keySteps(trace: Trace, violation: Violation): TraceStep[] {
  const involved = involvement(trace, violation);
  const lastOnKeys = Math.max(-1, ...[...involved.onKeys].filter((i) => i !== involved.step));
  let aftermath = lastOnKeys >= 0 ? AFTERMATH_STEPS : 0;
  const scored = new Map<string, { step: TraceStep; score: number }>();
  for (const index of involved.steps) {
    const step = trace.steps[index];
    if (!step || index === involved.step) continue;
    const base = weight(step);
    if (base <= 1) continue;
    let score = base + (involved.onKeys.has(index) ? 3 : 0);
    if (index > lastOnKeys && aftermath > 0) {
      aftermath--;
      score += 3;
    }
    const key = shape(step);
    const seen = scored.get(key);
    if (!seen || score > seen.score) scored.set(key, { step, score });
  }
  return [...scored.values()]
    .sort((a, b) => b.score - a.score || b.step.i - a.step.i)
    .slice(0, STORY_STEPS)
    .map((entry) => entry.step)
    .sort((a, b) => a.i - b.i);
}

/** One paragraph for the terminal: the invariant, who, and what happened in which order up to the violation. */
export function explainViolation(trace: Trace, violation: Violation): string {
  const involved = involvement(trace, violation);
  const owners = playerOfConnection(trace.steps);
  const players = involved.players.map((p) => abbreviateIds(p));
  const who = players.length > 0 ? ` for player${players.length > 1 ? "s" : ""} ${players.join(", ")}` : "";
  const keys = violation.keys.length > 0 ? ` on ${violation.keys.map((k) => abbreviateIds(k)).join(", ")}` : "";
  const meaning = INVARIANT_MEANING[violation.invariant];
  const story = keySteps(trace, violation).map((s) => `at ${seconds(s.t)} (step ${s.i}) ${describeStep(s, owners)}`);
  const last = trace.steps[involved.step];
  const afterRun = last !== undefined && (violation.step > involved.step || violation.at > last.t);
  const end = afterRun
    ? `finally at ${seconds(violation.at)}, after the last step (step ${involved.step}), the end-of-run check failed: ${abbreviateIds(violation.message)}`
    : `finally at ${seconds(violation.at)} (step ${involved.step}) the check failed: ${abbreviateIds(violation.message)}`;
  const told = story.length > 0 ? `In order: ${story.join("; ")}; ${end}.` : `${capitalise(end)}.`;
  return `${violation.invariant} (${meaning}) was violated${who}${keys}. ${told}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
