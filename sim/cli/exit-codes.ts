export const ExitCode = {
  ok: 0,
  violation: 1,
  usage: 2,
  internal: 3,
  /** Stopped by SIGINT after writing what it had. */
  interrupted: 130,
} as const;

/** Bad usage or bad input: one line to stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
