export const INVARIANTS = [
  "no-double-match",
  "no-lost-player",
  "no-orphaned-session",
  "ready-respected",
  "single-allocation",
  "no-crash",
  "eventual-match",
] as const;

export type InvariantName = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: InvariantName;
  message: string;
  /** Index of the step after which it was seen; the end check uses the last step. */
  step: number;
  /** Virtual time, ms since the run started. */
  at: number;
  players: string[];
  keys: string[];
}
