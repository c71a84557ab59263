import type { RedisEvent } from "../../trace/events.ts";
import { withoutIds } from "../../trace/shape.ts";
import type { TraceStep } from "../../trace/trace.ts";

/** Pairs kept per run at most: a long world meets a few hundred; past this, the rest add nothing a corpus needs. */
const MOST_PAIRS_PER_RUN = 4_096;

/** A command or script by what it was and how it came out, ids taken out: `fixed:claim_server claimed`. */
function outcomeOf(event: RedisEvent): string {
  const what = event.script ?? event.command;
  if (event.outcome !== "ok") return `${what} ${event.outcome}`;
  const reply = event.reply;
  const word = Array.isArray(reply) && typeof reply[0] === "string" ? withoutIds(reply[0]) : reply === null ? "nil" : typeof reply;
  return `${what} ${word}`;
}

/**
 * The run's reads-from pairs (after greybox concurrency fuzzing, RFF, ASPLOS 2024): for every key a command or
 * script read, which command or script wrote it last, both by what they were and how they came out, the key's
 * kind (ids taken out), and whether the two came from one client or two. Each pair with the step where the run
 * first showed it. Probes say which branches ran; these say which interleavings of them the run met: a claim
 * that read a server a rollback had just given back, a ready that read a session another instance's leave wrote.
 */
export function readsFrom(steps: readonly TraceStep[]): Map<string, number> {
  const lastWriter = new Map<string, { outcome: string; client: string }>();
  const pairs = new Map<string, number>();
  for (const step of steps) {
    const event = step.event;
    if (event.kind !== "redis" || (event.outcome !== "ok" && event.outcome !== "lost-after")) continue;
    const outcome = outcomeOf(event);
    for (const key of event.reads) {
      const writer = lastWriter.get(key);
      if (writer === undefined || pairs.size >= MOST_PAIRS_PER_RUN) continue;
      const pair = `${withoutIds(key)}: ${writer.outcome} ${writer.client === event.client ? "->" : "=>"} ${outcome}`;
      if (!pairs.has(pair)) pairs.set(pair, step.i);
    }
    for (const key of event.writes) lastWriter.set(key, { outcome, client: event.client });
  }
  return pairs;
}
