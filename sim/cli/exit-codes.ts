export const ExitCode = {
  ok: 0,
  violation: 1,
  usage: 2,
  internal: 3,
} as const;

/** Bad usage or bad input: one line to stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
