/**
 * What one executed step touched, as dependence judges it: `sim check` reorders two steps only when neither
 * touched what the other did. Built from what the step did in the run that executed it (its typed event, the
 * steps it made, the random streams it drew from); a step's footprint may depend on the state it ran in, so a
 * footprint is trusted only where the steps between could not have changed that state (sleep sets, races).
 */
export interface Footprint {
  /** The step's timeline lane: an instance, a player, a dedicated server, the world. */
  readonly lane: string;
  /** Its FIFO channel: steps of one channel run in channel order and are never reordered. */
  readonly source: string;
  /** Resources read and written: an actor's memory, a Redis key, a channel's queue, a random stream. */
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /**
   * Writes that commute with one another when they carry the same tag, and conflict with every read of their
   * resource: appending anchors due at one instant to the pending steps (whose order a coincidence picks by).
   */
  readonly tagged: ReadonlyMap<string, string>;
  /** It read every Redis key (KEYS, SCAN): it depends on every key written. */
  readonly readsAllKeys: boolean;
  /** It wrote some Redis key. */
  readonly writesKeys: boolean;
  /** It touches everything: a fault, a step that moved the clock, a step whose handler took its instance down. */
  readonly global: boolean;
  /** Lanes it made steps on: what a switch away from such a lane costs depends on whether it ran. */
  readonly createdOn: readonly string[];
  /**
   * The parts of what the oracle's checks after every step read that it changed (EVERYTHING: all of it, or
   * checks that read parts together): steps that changed a same part are kept in order, so that every state
   * those checks can see in one order of a class is seen in the order explored.
   */
  readonly visible: readonly string[];
}

/** The part of the observed state that stands for all of it. */
export const EVERYTHING = "*";

/** Whether two steps changed a same part of the observed state. */
export function seenTogether(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (a.includes(EVERYTHING) || b.includes(EVERYTHING)) return true;
  return a.some((part) => b.includes(part));
}

/** Resource names: one prefix per kind of shared thing, so two kinds never collide. */
export const resource = {
  actor: (name: string) => `actor:${name}`,
  key: (key: string) => `key:${key}`,
  queue: (source: string) => `queue:${source}`,
  stream: (name: string) => `rng:${name}`,
  connection: (id: string) => `conn:${id}`,
};

/** The footprint of a step that touches everything: nothing is reordered around it. */
export function globalFootprint(lane: string, source: string): Footprint {
  return {
    lane,
    source,
    reads: [],
    writes: [],
    tagged: new Map(),
    readsAllKeys: false,
    writesKeys: false,
    global: true,
    createdOn: [],
    visible: [EVERYTHING],
  };
}
