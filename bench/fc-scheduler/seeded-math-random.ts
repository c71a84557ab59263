import { runScoped } from "./run-scoped.ts";

/**
 * ioredis-mock draws SPOP's members with Math.random, through a lodash.shuffle that keeps its own reference
 * to Math.random from the moment ioredis-mock loads. So that a fast-check seed reproduces a whole run
 * (which players SPOP pairs included), Math.random is replaced, before ioredis-mock is loaded, by a function
 * that draws from the current run's seeded stream while a run is active and from the original otherwise.
 * Import this module before `ioredis-mock`.
 */
export const withSeededMathRandom = runScoped(Math, "random", "withSeededMathRandom");
