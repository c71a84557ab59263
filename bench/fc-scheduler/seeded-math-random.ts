/**
 * ioredis-mock draws SPOP's members with Math.random, through a lodash.shuffle that keeps its own reference
 * to Math.random from the moment ioredis-mock loads. So that a fast-check seed reproduces a whole run
 * (which players SPOP pairs included), Math.random is replaced, before ioredis-mock is loaded, by a function
 * that draws from the current run's seeded stream while a run is active and from the original otherwise.
 * Import this module before `ioredis-mock`.
 */
const original = Math.random;
let source: (() => number) | null = null;

Math.random = () => (source ?? original)();

/** Runs `work` with Math.random drawing from `next`. Runs must not overlap. */
export async function withSeededMathRandom<T>(next: () => number, work: () => Promise<T>): Promise<T> {
  if (source !== null) throw new Error("withSeededMathRandom: runs must not overlap");
  source = next;
  try {
    return await work();
  } finally {
    source = null;
  }
}
