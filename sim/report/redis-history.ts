import type { KeyValue, SimulatedRedis } from "../redis/contract.ts";

/** What changed in Redis after one step: keys with their new contents, null for deleted keys. */
export type RedisChange = Array<[key: string, value: KeyValue | null]>;

/** Keeps, per step, the keys a step changed, so a report can show Redis as it was at any step. */
export class RedisHistory {
  readonly changes: RedisChange[] = [];
  private readonly last = new Map<string, string>();

  /** A run's `observe` hook. Steps that ran no command cannot have changed anything and are not diffed. */
  readonly observe = (step: number, redis: SimulatedRedis, touched: boolean): void => {
    const change: RedisChange = [];
    if (touched) {
      const seen = new Set<string>();
      for (const key of redis.keys()) {
        seen.add(key);
        const value = redis.inspect(key);
        const text = JSON.stringify(value);
        if (this.last.get(key) !== text) {
          this.last.set(key, text);
          change.push([key, value]);
        }
      }
      for (const key of [...this.last.keys()]) {
        if (!seen.has(key)) {
          this.last.delete(key);
          change.push([key, null]);
        }
      }
    }
    this.changes[step] = change;
  };
}
