/**
 * A broken promise of the harness itself (an option out of range, time running backwards, a step chosen that
 * was not enabled): never a verdict on the server. The CLI reports it as an internal error (exit 3) with the
 * run it happened in.
 */
export class HarnessAssertionError extends Error {
  override readonly name = "HarnessAssertionError";
}

/** Throws a HarnessAssertionError saying what was promised when `condition` does not hold. */
export function assert(condition: boolean, promise: string): asserts condition {
  if (!condition) throw new HarnessAssertionError(promise);
}

/**
 * The same for hot paths, which test the condition themselves (`if (!ok) broken(...)`), so that the message
 * is built only when the promise is broken.
 */
export function broken(promise: string): never {
  throw new HarnessAssertionError(promise);
}
