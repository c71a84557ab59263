import { traceHash } from "./hash.ts";
import type { Trace, TraceBody } from "./trace.ts";

type Body = TraceBody;

/** Where a lazily hashed trace keeps what it was made from, and its hash once read: not enumerable. */
const LAZY = Symbol("lazy trace hash");

interface Lazy {
  [LAZY]: { body: Body; hash: string | null };
}

/**
 * One getter for every trace, which finds its trace's body on the trace itself. A getter made per trace gave
 * every trace a hidden class of its own (an accessor's functions are part of it), and a WeakMap from trace to
 * body would do no better: both live in old space, where the young-generation collector takes what they point
 * at as alive, so each run's whole trace survived until a full GC (about 0.6 MB promoted per scavenge, three
 * times the scavenger's work).
 */
function hashOnFirstRead(this: Lazy): string {
  const lazy = this[LAZY];
  return (lazy.hash ??= traceHash(lazy.body));
}

/**
 * The trace with its hash computed on first read and kept: most runs (a passing fuzz seed, a benchmark) are
 * never replayed or written, and hashing a whole trace costs as much as a tenth of running it. The property is
 * enumerable, so JSON and structured clones carry it as a plain value.
 */
export function withLazyHash(body: Body): Trace {
  const trace = { ...body };
  Object.defineProperty(trace, LAZY, { value: { body, hash: null } });
  return Object.defineProperty(trace as Trace, "hash", { enumerable: true, get: hashOnFirstRead });
}
