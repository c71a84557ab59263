import { LuaTable } from "./lua-table.ts";
import { callError, position } from "./operators.ts";
import { all } from "./values.ts";

/**
 * A generic `for`'s state. `ipairs` and `pairs` over a table run without calling their iterator function;
 * anything else calls it as Lua does. After `step()` returns true, `a` and `b` hold the first two loop values
 * and `rest` any beyond them.
 */
export interface ForIterator {
  a: unknown;
  b: unknown;
  rest: unknown[];
  step(): boolean;
}

class IpairsIterator implements ForIterator {
  a: unknown = undefined;
  b: unknown = undefined;
  rest: unknown[] = [];
  private i = 0;

  constructor(private readonly table: LuaTable) {}

  step(): boolean {
    const value = this.table.get(++this.i);
    if (value === undefined) return false;
    this.a = this.i;
    this.b = value;
    return true;
  }
}

class PairsIterator implements ForIterator {
  a: unknown = undefined;
  b: unknown = undefined;
  rest: unknown[] = [];
  private i = 0;
  private entries: Iterator<[unknown, unknown]> | null = null;

  constructor(private readonly table: LuaTable) {}

  step(): boolean {
    const arr = this.table.arr;
    while (this.entries === null) {
      if (this.i >= arr.length) {
        this.entries = (this.table.hash ?? new Map<unknown, unknown>()).entries();
        break;
      }
      const value = arr[this.i++];
      if (value !== undefined) {
        this.a = this.i;
        this.b = value;
        return true;
      }
    }
    for (;;) {
      const next = this.entries.next();
      if (next.done) return false;
      // A key cleared during the traversal (see LuaTable) is skipped.
      if (next.value[1] === undefined) continue;
      [this.a, this.b] = next.value;
      return true;
    }
  }
}

class CallingIterator implements ForIterator {
  a: unknown = undefined;
  b: unknown = undefined;
  rest: unknown[] = [];

  constructor(
    private readonly fn: unknown,
    private readonly state: unknown,
    private control: unknown,
    private readonly line: number,
  ) {}

  step(): boolean {
    if (typeof this.fn !== "function") return callError(this.fn, this.line, "");
    position.line = this.line;
    const values = all(this.fn(this.state, this.control));
    const a = values[0];
    if (a === undefined) return false;
    this.control = a;
    this.a = a;
    this.b = values[1];
    this.rest = values.length > 2 ? values.slice(2) : [];
    return true;
  }
}

/** The iterator functions `ipairs` and `pairs` return; set by the library module. */
export const iterators: { ipairs: unknown; next: unknown } = { ipairs: null, next: null };

export function forIterator(values: unknown[], line: number): ForIterator {
  const [fn, state, control] = values;
  if (state instanceof LuaTable && control === undefined && fn === iterators.next) return new PairsIterator(state);
  if (state instanceof LuaTable && control === 0 && fn === iterators.ipairs) return new IpairsIterator(state);
  return new CallingIterator(fn, state, control, line);
}
