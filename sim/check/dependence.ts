import { seenTogether, type Footprint } from "./footprint.ts";

/** `writer` wrote something `other` read or wrote, or appended at an instant `other` did not. */
function conflicts(writer: Footprint, other: Footprint): boolean {
  for (const name of writer.writes) {
    if (other.writes.includes(name) || other.reads.includes(name) || other.tagged.has(name)) return true;
  }
  for (const [name, tag] of writer.tagged) {
    if (other.reads.includes(name)) return true;
    const theirs = other.tagged.get(name);
    if (theirs !== undefined && theirs !== tag) return true;
  }
  return false;
}

/**
 * Whether two steps may not be swapped: running them in the other order could end in another state, or make
 * another set of steps possible. Steps of one lane are always dependent (their code shares the lane's memory, and
 * the preemption bound counts switches between lanes, which sleep sets rely on: see sleep-sets.ts), as are steps
 * of one channel, steps that changed a same part of what the oracle sees (see Footprint.visible), a step and the steps of a lane it made steps on,
 * and steps whose resources conflict.
 */
export function dependent(a: Footprint, b: Footprint): boolean {
  if (a.global || b.global) return true;
  if (a.lane === b.lane || a.source === b.source) return true;
  if (seenTogether(a.visible, b.visible)) return true;
  if (a.createdOn.includes(b.lane) || b.createdOn.includes(a.lane)) return true;
  if ((a.readsAllKeys && b.writesKeys) || (b.readsAllKeys && a.writesKeys)) return true;
  return conflicts(a, b) || conflicts(b, a);
}
