const NONE: readonly string[] = [];

/**
 * The keys one command touched: those read, and those a command that may write looked up (counted as written,
 * whether or not it changed them: conservative for whoever asks what depends on what). Commands that walk the
 * whole keyspace (KEYS, SCAN, DBSIZE, FLUSHALL) read everything.
 */
export class Footprint {
  private readonly readKeys = new Set<string>();
  private readonly writtenKeys = new Set<string>();
  /** Whether the command running now may write: set by the engine before each command, a script's ones too. */
  writing = false;
  readsAll = false;

  touch(key: string): void {
    if (this.writing) this.writtenKeys.add(key);
    else this.readKeys.add(key);
  }

  /** Keys read and not also written, sorted. */
  reads(): readonly string[] {
    if (this.readKeys.size === 0) return NONE;
    const keys: string[] = [];
    for (const key of this.readKeys) if (!this.writtenKeys.has(key)) keys.push(key);
    return keys.length > 1 ? keys.sort() : keys;
  }

  writes(): readonly string[] {
    if (this.writtenKeys.size === 0) return NONE;
    const keys = [...this.writtenKeys];
    return keys.length > 1 ? keys.sort() : keys;
  }
}
