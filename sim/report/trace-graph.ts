import type { RedisEvent, StepEvent } from "../trace/events.ts";
import { isRefusedLock } from "../trace/facts.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";

/** Commands whose write depends on what the key held before (the others overwrite or only add). */
const READ_MODIFY_WRITE = new Set(["SPOP", "INCR", "INCRBY", "DECR", "HINCRBY", "LPOP", "RPOP", "ZPOPMIN", "ZPOPMAX", "GETSET", "GETDEL", "RPOPLPUSH", "LMOVE"]);

/** Redis applied the command: it ran (its reply may have been lost), and a refused `SET NX` wrote nothing. */
export function appliedWrite(event: StepEvent): event is RedisEvent {
  return event.kind === "redis" && (event.outcome === "ok" || event.outcome === "lost-after") && event.writes.length > 0 && !isRefusedLock(event);
}

/**
 * The keys whose earlier contents a Redis step's outcome depends on: what it read, and for a script or a
 * read-modify-write command, what it wrote too (a script reads before it writes; the footprint lists such a key
 * as written only). A plain SET, DEL or HSET does not depend on what it overwrites.
 */
export function dependsOn(event: RedisEvent): readonly string[] {
  if (event.outcome === "lost-before") return [];
  if (event.script !== null || READ_MODIFY_WRITE.has(event.command)) return [...new Set([...event.reads, ...event.writes, ...event.keys])];
  return event.reads;
}

/**
 * A trace's steps linked by index: the step that made each one, the steps each one made, every key's applied
 * writes in order, and for every refused lock the acquisition that held it. Built once per trace; every query
 * afterwards is a lookup or a binary search.
 */
export class TraceGraph {
  readonly steps: readonly TraceStep[];
  private readonly indexOfId = new Map<number, number>();
  private readonly made = new Map<number, number[]>();
  private readonly writers = new Map<string, number[]>();
  private readonly acquisitions = new Map<string, number[]>();

  constructor(trace: Pick<Trace, "steps">) {
    this.steps = trace.steps;
    trace.steps.forEach((step, index) => this.indexOfId.set(step.id, index));
    trace.steps.forEach((step, index) => {
      const cause = this.cause(index);
      if (cause !== null) {
        const list = this.made.get(cause);
        if (list) list.push(index);
        else this.made.set(cause, [index]);
      }
      const event = step.event;
      if (!appliedWrite(event)) return;
      for (const key of event.writes) push(this.writers, key, index);
      if (event.command === "SET" && event.reply === "OK" && event.args.some((arg) => typeof arg === "string" && arg.toUpperCase() === "NX")) {
        push(this.acquisitions, String(event.args[0]), index);
      }
    });
  }

  /** The index of the step whose code made this one, when it ran in this trace. */
  cause(index: number): number | null {
    const id = this.steps[index]?.cause;
    return id === null || id === undefined ? null : (this.indexOfId.get(id) ?? null);
  }

  /**
   * The step that started the handler this one belongs to: causes followed back through commands and HTTP
   * exchanges to the frame, close, timer, delivery, player action or fault that set it going (itself when it
   * starts one).
   */
  root(index: number): number {
    let current = index;
    for (;;) {
      const kind = this.steps[current]?.event.kind;
      if (kind !== "redis" && kind !== "http-reply" && kind !== "http-timeout") return current;
      const cause = this.cause(current);
      if (cause === null) return current;
      current = cause;
    }
  }

  /** The steps this one's code made, in trace order. */
  children(index: number): readonly number[] {
    return this.made.get(index) ?? [];
  }

  /** Every applied write of a key, in trace order. */
  writesOf(key: string): readonly number[] {
    return this.writers.get(key) ?? [];
  }

  /** The last applied write of `key` before step `index` (of those `which` accepts), or null. */
  lastWriteBefore(key: string, index: number, which?: (step: TraceStep) => boolean): number | null {
    const writes = this.writers.get(key);
    const last = lastBefore(writes, index);
    if (which === undefined || last === null || writes === undefined) return last;
    for (let k = writes.indexOf(last); k >= 0; k--) {
      const writer = writes[k] as number;
      if (which(this.steps[writer] as TraceStep)) return writer;
    }
    return null;
  }

  /** For a refused `SET NX`: the acquisition that held the lock (the last one of that key before it), else null. */
  holder(index: number): number | null {
    const event = this.steps[index]?.event;
    if (event === undefined || !isRefusedLock(event) || event.kind !== "redis") return null;
    return lastBefore(this.acquisitions.get(String(event.args[0])), index);
  }
}

function push(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

/** The greatest element of an ascending list below `index`. */
function lastBefore(list: readonly number[] | undefined, index: number): number | null {
  if (list === undefined) return null;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle] as number) < index) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? (list[low - 1] as number) : null;
}
