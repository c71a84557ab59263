/**
 * A Lua table for compiled scripts: an array part holding keys 1..n with no trailing nil, and a hash part in
 * insertion order. The hash part never holds the key n + 1 (it moves into the array part), so `#t` is n. Lua
 * 5.1 promises only "a border" for a table with holes; which one it picks depends on its internal sizing, which
 * this table does not imitate.
 *
 * A key cleared from the hash part stays in it, with the value undefined, until new keys are added: Lua lets a
 * traversal clear the fields it visits and go on with next(t, k) from the cleared key (its dead keys keep their
 * place). Adding a key during a traversal is undefined in Lua, so that is when the dead keys go.
 */
export class LuaTable {
  arr: unknown[];
  /** Readers skip entries whose value is undefined (cleared keys). */
  hash: Map<unknown, unknown> | null = null;
  private dead = 0;

  constructor(arr: unknown[] = []) {
    this.arr = arr;
    while (arr.length > 0 && arr[arr.length - 1] === undefined) arr.pop();
  }

  get(key: unknown): unknown {
    if (typeof key === "number") {
      const arr = this.arr;
      if (key >= 1 && key <= arr.length && Number.isInteger(key)) return arr[key - 1];
    }
    return this.hash === null ? undefined : this.hash.get(key);
  }

  getStr(key: string): unknown {
    return this.hash === null ? undefined : this.hash.get(key);
  }

  /** The caller has checked the key is neither nil nor NaN. */
  set(key: unknown, value: unknown): void {
    if (typeof key === "number" && key >= 1 && Number.isInteger(key)) {
      const arr = this.arr;
      const length = arr.length;
      if (key <= length) {
        arr[key - 1] = value;
        if (value === undefined && key === length) {
          while (arr.length > 0 && arr[arr.length - 1] === undefined) arr.pop();
        }
        return;
      }
      if (key === length + 1 && value !== undefined) {
        arr.push(value);
        const hash = this.hash;
        if (this.dead > 0 && hash !== null && hash.delete(key)) this.dead--;
        if (hash !== null && hash.size > 0) {
          for (let next = arr.length + 1; hash.get(next) !== undefined; next++) {
            arr.push(hash.get(next));
            hash.delete(next);
          }
        }
        return;
      }
    }
    this.setStr(key as string, value);
  }

  /** Writes a key that is never in the array part (a string, or a number the caller has placed). */
  setStr(key: string, value: unknown): void {
    const hash = this.hash;
    if (value === undefined) {
      if (hash !== null && hash.get(key) !== undefined) {
        hash.set(key, undefined);
        this.dead++;
      }
      return;
    }
    if (hash === null) {
      (this.hash = new Map()).set(key, value);
      return;
    }
    if (this.dead > 0 && hash.get(key) === undefined) {
      if (hash.has(key)) this.dead--;
      else if (this.dead * 2 > hash.size) this.sweep(hash);
    }
    hash.set(key, value);
  }

  private sweep(hash: Map<unknown, unknown>): void {
    for (const [key, value] of hash) if (value === undefined) hash.delete(key);
    this.dead = 0;
  }

  get length(): number {
    return this.arr.length;
  }

  /** Lua's next: the array part in order, then the hash part in insertion order. */
  next(key: unknown): [unknown, unknown] | null {
    const arr = this.arr;
    let start = 0;
    if (key !== undefined) {
      // A positive integer past the array part that the hash part does not hold was the array's last item,
      // cleared during the traversal (the array part shrank): the hash part comes next.
      if (typeof key === "number" && key >= 1 && Number.isInteger(key) && (key <= arr.length || !this.hash?.has(key))) start = key;
      else return this.nextInHash(key);
    }
    for (let i = start; i < arr.length; i++) if (arr[i] !== undefined) return [i + 1, arr[i]];
    return this.nextInHash(undefined);
  }

  private nextInHash(after: unknown): [unknown, unknown] | null {
    const hash = this.hash;
    if (hash === null) {
      if (after === undefined) return null;
      throw new InvalidNextKey();
    }
    let found = after === undefined;
    for (const entry of hash) {
      if (found && entry[1] !== undefined) return entry;
      if (entry[0] === after) found = true;
    }
    if (!found) throw new InvalidNextKey();
    return null;
  }
}

/** `next` was given a key the table does not hold. */
export class InvalidNextKey extends Error {}
