/**
 * A Lua table for compiled scripts: an array part holding keys 1..n with no trailing nil, and a hash part in
 * insertion order. The hash part never holds the key n + 1 (it moves into the array part), so `#t` is n. Lua
 * 5.1 promises only "a border" for a table with holes; which one it picks depends on its internal sizing, which
 * this table does not imitate.
 */
export class LuaTable {
  arr: unknown[];
  hash: Map<unknown, unknown> | null = null;

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
        if (hash !== null && hash.size > 0) {
          for (let next = arr.length + 1; hash.has(next); next++) {
            arr.push(hash.get(next));
            hash.delete(next);
          }
        }
        return;
      }
    }
    if (value === undefined) this.hash?.delete(key);
    else (this.hash ??= new Map()).set(key, value);
  }

  setStr(key: string, value: unknown): void {
    if (value === undefined) this.hash?.delete(key);
    else (this.hash ??= new Map()).set(key, value);
  }

  get length(): number {
    return this.arr.length;
  }

  /** Lua's next: the array part in order, then the hash part in insertion order. */
  next(key: unknown): [unknown, unknown] | null {
    const arr = this.arr;
    let start = 0;
    if (key !== undefined) {
      if (typeof key === "number" && key >= 1 && key <= arr.length && Number.isInteger(key)) start = key;
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
      if (found) return entry;
      if (entry[0] === after) found = true;
    }
    if (!found) throw new InvalidNextKey();
    return null;
  }
}

/** `next` was given a key the table does not hold. */
export class InvalidNextKey extends Error {}
