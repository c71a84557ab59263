import type { KeyValue } from "./contract.ts";
import { MemberSet } from "./data/member-set.ts";
import { SortedSet } from "./data/sorted-set.ts";
import { ERR, fail } from "./errors.ts";
import { formatDouble } from "./numbers.ts";
import type { Footprint } from "./footprint.ts";

export type TypeName = "string" | "set" | "hash" | "zset" | "list";

interface ValueOf {
  string: string;
  set: MemberSet;
  hash: Map<string, string>;
  zset: SortedSet;
  list: string[];
}

export interface Entry<T extends TypeName = TypeName> {
  readonly key: string;
  /**
   * Creation order, and the SCAN cursor: a scan returns keys with a larger id, so a key that exists for
   * the whole iteration is returned exactly once whatever is created or deleted meanwhile.
   */
  readonly id: number;
  type: T;
  value: ValueOf[T];
  /** Absolute expiry in ms since the epoch; Infinity when the key is persistent. */
  expiresAt: number;
  live: boolean;
}

/** One key as a snapshot holds it. */
interface SavedEntry {
  readonly key: string;
  readonly type: TypeName;
  readonly value: ValueOf[TypeName];
  readonly expiresAt: number;
}

/** A command as a client sends it. */
export interface ClientCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** One plain write that creates `key` holding all of a saved value, in the value's own order. */
function writeOf(saved: SavedEntry): ClientCommand {
  const { key } = saved;
  switch (saved.type) {
    case "string":
      return { command: "SET", args: [key, saved.value as string] };
    case "set":
      // Members in their slots' order: SPOP and SRANDMEMBER pick by slot.
      return { command: "SADD", args: [key, ...(saved.value as MemberSet).toArray()] };
    case "hash":
      return { command: "HSET", args: [key, ...[...(saved.value as Map<string, string>)].flat()] };
    case "zset":
      // %.17g gives back the very double.
      return { command: "ZADD", args: [key, ...(saved.value as SortedSet).pairs().flatMap(([member, score]) => [formatDouble(score), member])] };
    case "list":
      return { command: "RPUSH", args: [key, ...(saved.value as string[])] };
  }
}

/**
 * The keyspace at one moment, as an RDB file holds it: every live key with its type, a copy of its value and its
 * absolute expiry. Neither later writes nor the keyspaces it is loaded into change it, so it can be loaded again.
 */
export class KeyspaceSnapshot {
  constructor(
    /** When it was taken, ms since the epoch. */
    readonly at: number,
    readonly entries: readonly SavedEntry[],
  ) {}

  /**
   * The commands that load the snapshot into an empty keyspace at `now` (ms since the epoch), as Redis loads an
   * RDB file at start-up, so that a load is commands a client could send and a real Redis replay: each key
   * created in the snapshot's order (KEYS and SCAN list keys in creation order) by one write of its whole value,
   * then its expiry. A key whose expiry has passed is not loaded. Nor is one expiring at `now` itself, which
   * Redis would load for that one millisecond: no command can write a key that expires at once.
   */
  loadAt(now: number): ClientCommand[] {
    const commands: ClientCommand[] = [];
    for (const saved of this.entries) {
      if (saved.expiresAt <= now) continue;
      commands.push(writeOf(saved));
      // Relative, where an RDB file holds the absolute time: a replay on a real Redis reads another clock, on which
      // the simulation's times are long past. The engine counts a PEXPIRE from the current whole millisecond.
      if (saved.expiresAt !== Infinity) commands.push({ command: "PEXPIRE", args: [saved.key, String(saved.expiresAt - Math.floor(now))] });
    }
    return commands;
  }
}

/** A copy of a key's value that no later write to the key reaches (strings are immutable). */
function copyOf(entry: Pick<Entry, "type" | "value">): ValueOf[TypeName] {
  switch (entry.type) {
    case "string":
      return entry.value;
    case "set":
      return (entry.value as MemberSet).copy();
    case "hash":
      return new Map(entry.value as Map<string, string>);
    case "zset":
      return (entry.value as SortedSet).copy();
    case "list":
      return (entry.value as string[]).slice();
  }
}

/** Above this many deleted entries in the scan order, it is compacted. */
const COMPACT_THRESHOLD = 1024;

/** The keyspace: values by key, lazy expiry against the engine's clock, and a stable creation order. */
export class Keyspace {
  private readonly entries = new Map<string, Entry>();
  private order: Entry[] = [];
  private dead = 0;
  private nextId = 1;
  /** The keys in sorted order, kept while no key is created or removed (the oracle lists them after every step). */
  private sorted: string[] | null = null;
  private changes = 0;

  /** Where the command running now records the keys it touches; null when nobody asked. */
  footprint: Footprint | null = null;

  constructor(private readonly now: () => number) {}

  /** A command that may write is about to run. */
  changing(): void {
    this.changes++;
  }

  /**
   * A number that moves whenever the live contents may have changed: a command that may write ran, or a key
   * was removed, expired ones included (they are removed here first). An unchanged number means unchanged
   * contents.
   */
  version(): number {
    // Deleting the current entry while iterating a Map is safe: iteration goes on with the next one.
    for (const entry of this.entries.values()) if (entry.expiresAt !== Infinity) this.lookup(entry.key);
    return this.changes;
  }

  /** The live entry for a key; an expired entry is deleted on the way (lazy expiry, as Redis does). */
  lookup(key: string): Entry | undefined {
    if (this.footprint !== null) this.footprint.touch(key);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== Infinity && this.now() > entry.expiresAt) {
      this.remove(entry);
      return undefined;
    }
    return entry;
  }

  /** The entry when it holds `type`; undefined when missing; WRONGTYPE otherwise. */
  lookupAs<T extends TypeName>(key: string, type: T): Entry<T> | undefined {
    const entry = this.lookup(key);
    if (entry !== undefined && entry.type !== type) fail(ERR.wrongType);
    return entry as Entry<T> | undefined;
  }

  /** The entry holding `type`, created empty when missing. */
  lookupOrCreate<T extends TypeName>(key: string, type: T, empty: () => ValueOf[T]): Entry<T> {
    return this.lookupAs(key, type) ?? this.create(key, type, empty());
  }

  create<T extends TypeName>(key: string, type: T, value: ValueOf[T]): Entry<T> {
    const entry: Entry<T> = { key, id: this.nextId++, type, value, expiresAt: Infinity, live: true };
    this.entries.set(key, entry as Entry);
    this.order.push(entry as Entry);
    this.sorted = null;
    this.changes++;
    return entry;
  }

  /** Replaces a key's value whatever its type (SET), keeping its identity for SCAN. */
  overwrite<T extends TypeName>(key: string, type: T, value: ValueOf[T], expiresAt: number): Entry<T> {
    const existing = this.lookup(key);
    const entry = (existing ?? this.create(key, type, value)) as Entry<T>;
    entry.type = type;
    entry.value = value;
    entry.expiresAt = expiresAt;
    return entry;
  }

  delete(key: string): boolean {
    const entry = this.lookup(key);
    if (entry === undefined) return false;
    this.remove(entry);
    return true;
  }

  /** Deletes the key when its collection became empty (Redis never keeps empty collections). */
  dropIfEmpty(entry: Entry): void {
    const value = entry.value;
    const size =
      typeof value === "string" ? 1 : Array.isArray(value) ? value.length : (value as { size: number }).size;
    if (size === 0) this.remove(entry);
  }

  flush(): void {
    if (this.footprint !== null) this.footprint.readsAll = true;
    this.entries.clear();
    this.order = [];
    this.dead = 0;
    this.sorted = null;
    this.changes++;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every live key as it is now, in creation order: what BGSAVE writes. */
  save(): KeyspaceSnapshot {
    return new KeyspaceSnapshot(
      this.now(),
      this.live().map((entry) => ({ key: entry.key, type: entry.type, value: copyOf(entry), expiresAt: entry.expiresAt })),
    );
  }

  /**
   * Up to `count` live entries with id > cursor, in id order, and the cursor to continue from (0 when the
   * end was reached).
   */
  scan(cursor: number, count: number): { entries: Entry[]; next: number } {
    if (this.footprint !== null) this.footprint.readsAll = true;
    const order = this.order;
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((order[mid] as Entry).id <= cursor) low = mid + 1;
      else high = mid;
    }
    const found: Entry[] = [];
    let index = low;
    let last = cursor;
    while (index < order.length && found.length < count) {
      const entry = order[index++] as Entry;
      last = entry.id;
      if (entry.live && this.lookup(entry.key) === entry) found.push(entry);
    }
    return { entries: found, next: index >= order.length ? 0 : last };
  }

  /** Every live entry in creation order (expired ones are dropped). */
  live(): Entry[] {
    if (this.footprint !== null) this.footprint.readsAll = true;
    const out: Entry[] = [];
    for (const entry of [...this.entries.values()]) if (this.lookup(entry.key) === entry) out.push(entry);
    return out;
  }

  /** Every live key, sorted (expired ones are dropped). */
  sortedKeys(): string[] {
    // Deleting the current entry while iterating a Map is safe: iteration goes on with the next one.
    for (const entry of this.entries.values()) if (entry.expiresAt !== Infinity) this.lookup(entry.key);
    this.sorted ??= [...this.entries.keys()].sort();
    return this.sorted.slice();
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.key);
    entry.live = false;
    this.sorted = null;
    this.changes++;
    if (++this.dead > COMPACT_THRESHOLD && this.dead * 2 > this.order.length) {
      this.order = this.order.filter((e) => e.live);
      this.dead = 0;
    }
  }
}

export function describe(entry: Entry): KeyValue {
  switch (entry.type) {
    case "string":
      return { type: "string", value: entry.value as string };
    case "set":
      return { type: "set", value: (entry.value as MemberSet).toArray() };
    case "hash":
      return { type: "hash", value: hashObject(entry.value as Map<string, string>) };
    case "zset":
      return { type: "zset", value: (entry.value as SortedSet).pairs() };
    case "list":
      return { type: "list", value: (entry.value as string[]).slice() };
  }
}

/** Object.fromEntries for a hash, a few times faster: plain assignment, except for a field named __proto__. */
function hashObject(fields: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of fields) {
    if (field === "__proto__") Object.defineProperty(out, field, { value, writable: true, enumerable: true, configurable: true });
    else out[field] = value;
  }
  return out;
}
