import { CHECKERS } from "./registry.ts";

/** The built-in invariants' names, in the order the oracle checks them. */
export const INVARIANTS: readonly string[] = CHECKERS.map((checker) => checker.name);

/** An invariant's name: a built-in one, or one a scenario file's checker brings. */
export type InvariantName = string;

/** What each invariant known to this process demands, in one clause: the built-in ones, and scenario files' own. */
const MEANINGS = new Map(CHECKERS.map((checker) => [checker.name, checker.meaning]));

/** Makes a scenario file's checkers known to reports. */
export function registerCheckers(checkers: ReadonlyArray<{ name: string; meaning: string }>): void {
  for (const checker of checkers) MEANINGS.set(checker.name, checker.meaning);
}

/** What an invariant demands, in one clause. */
export function meaningOf(invariant: InvariantName): string {
  return MEANINGS.get(invariant) ?? "an invariant of the scenario's own";
}

export interface Violation {
  invariant: InvariantName;
  /**
   * Which way the invariant broke, in a few words with no ids (`disconnected but held`, `early timeout`): the
   * same for the same breach in any run. Signatures group by it; absent, they fall back on the message.
   */
  kind?: string;
  message: string;
  /** Index of the step after which it was seen; the end check uses the last step. */
  step: number;
  /** Virtual time, ms since the run started. */
  at: number;
  players: string[];
  keys: string[];
}
