/**
 * Replaces a zero-argument global function (Math.random, Date.now) at once by one that answers from the active
 * run's source, or as the original did between runs. Returns the way to run something with a source. Runs must
 * not overlap: the replacement is process-wide.
 */
export function runScoped<K extends string>(
  holder: Record<K, () => number>,
  key: K,
  name: string,
): <T>(source: () => number, work: () => Promise<T>) => Promise<T> {
  const original = holder[key];
  let active: (() => number) | null = null;
  holder[key] = () => (active ?? original)();
  return async (source, work) => {
    if (active !== null) throw new Error(`${name}: runs must not overlap`);
    active = source;
    try {
      return await work();
    } finally {
      active = null;
    }
  };
}
