import { meaningOf, type Violation } from "../oracle/invariants.ts";
import { isRedisFailure, isRefusedLock, isScriptCacheMiss, serverMessage } from "../trace/facts.ts";
import { wordingShape } from "../trace/shape.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { KITS, type VariantKit } from "../variants/index.ts";
import { involvement } from "./involvement.ts";
import { describeStep } from "./step-story.ts";
import { abbreviateIds, seconds } from "./text.ts";

/** Key steps told before the violation itself. */
const STORY_STEPS = 7;

const WRITES = new Set(["HSET", "HDEL", "DEL", "SADD", "SREM", "SET", "SPOP", "ZADD", "ZREM", "RPUSH", "LPUSH", "EXPIRE", "PEXPIRE"]);

/** How much a step tells about a failure: refusals, failures and departures most, reads and timers least. */
function weight(step: TraceStep, kit: VariantKit): number {
  const event = step.event;
  switch (event.kind) {
    case "redis": {
      if (isScriptCacheMiss(event)) return 0;
      if (isRefusedLock(event) || isRedisFailure(event)) return 10;
      if (event.script !== null) {
        if (event.script.endsWith("release_lock")) return 1;
        const empty = event.reply === null || event.reply === 0 || (Array.isArray(event.reply) && event.reply.length === 0);
        return empty ? 3 : 6;
      }
      if (event.command === "PUBLISH") return 2;
      if (event.command === "SET" && typeof event.args[0] === "string" && kit.lockKey(event.args[0])) return 3;
      return WRITES.has(event.command) ? 6 : 2;
    }
    case "fault":
      return 9;
    case "close":
      return 10;
    case "http-reply":
      return event.status >= 200 && event.status < 300 && !event.late ? 4 : 8;
    case "http-timeout":
      return 8;
    case "http-request":
      return 5;
    case "frame-in":
      return 6;
    case "frame-out":
      return serverMessage(event)?.type === "queued" ? 2 : 5;
    case "client":
      return 2;
    case "deliver":
      return 1;
    case "timer":
      return 0;
  }
}

/** What the players went through once the keys were last touched is often what the check saw. */
const AFTERMATH_STEPS = 2;

/** Picks the steps worth telling: involved, informative, no two alike, at most STORY_STEPS, in trace order. */
export function keySteps(trace: Trace, violation: Violation): TraceStep[] {
  const kit = KITS[trace.server];
  const involved = involvement(trace, violation);
  const lastOnKeys = Math.max(-1, ...[...involved.onKeys].filter((i) => i !== involved.step));
  let aftermath = lastOnKeys >= 0 ? AFTERMATH_STEPS : 0;
  const scored = new Map<string, { step: TraceStep; score: number }>();
  for (const index of involved.steps) {
    const step = trace.steps[index];
    if (!step || index === involved.step) continue;
    const base = weight(step, kit);
    if (base <= 1) continue;
    let score = base + (involved.onKeys.has(index) ? 3 : 0);
    if (index > lastOnKeys && aftermath > 0) {
      aftermath--;
      score += 3;
    }
    // Steps that differ only in ids and tokens say the same thing twice; the story keeps the best of them.
    const key = `${step.lane}|${step.event.kind}|${wordingShape(step.event)}`;
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
  const players = involved.players.map((p) => abbreviateIds(p));
  const who = players.length > 0 ? ` for player${players.length > 1 ? "s" : ""} ${players.join(", ")}` : "";
  const keys = violation.keys.length > 0 ? ` on ${violation.keys.map((k) => abbreviateIds(k)).join(", ")}` : "";
  const story = keySteps(trace, violation).map((s) => `at ${seconds(s.t)} (step ${s.i}) ${describeStep(s)}`);
  const last = trace.steps[involved.step];
  const afterRun = last !== undefined && (violation.step > involved.step || violation.at > last.t);
  const end = afterRun
    ? `finally at ${seconds(violation.at)}, after the last step (step ${involved.step}), the end-of-run check failed: ${abbreviateIds(violation.message)}`
    : `finally at ${seconds(violation.at)} (step ${involved.step}) the check failed: ${abbreviateIds(violation.message)}`;
  const told = story.length > 0 ? `In order: ${story.join("; ")}; ${end}.` : `${capitalise(end)}.`;
  return `${violation.invariant} (${meaningOf(violation.invariant)}) was violated${who}${keys}. ${told}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

