/** What one blind hunt (bench/mutants/hunt.ts) found: the first failing run, or none within its seeds and budget. */
export interface BlindHunt {
  kill: Kill | null;
  /** Runs made (one seed of one scenario each), the killing one included. */
  runs: number;
  /** The last seed a run was made of. */
  lastSeed: number;
  seconds: number;
  /** Hits per probe over every run of the hunt. */
  coverage: Record<string, number>;
  /** Stopped by its time budget before the end of its seeds. */
  budgetSpent: boolean;
}

export interface Kill {
  scenario: string;
  seed: number;
  invariant: string;
  signature: string;
  summary: string;
}

/** One stage's verdict on one mutant. */
export interface StageOutcome {
  stage: string;
  kill: Kill | null;
  runs: number;
  seconds: number;
  coverage: Record<string, number>;
  /** Why the stage stopped short of its seeds, when it did. */
  short: string | null;
}

/** A mutant's whole hunt, as the report and the JSON line give it. */
export interface MutantResult {
  name: string;
  file: string;
  breaks: string;
  status: "killed" | "survived" | "error";
  /** The stage that killed it; null when it survived every stage. */
  stage: string | null;
  /** `invariant signature` of the first violation of the killing run. */
  by: string | null;
  /** Runs (seeds of scenarios) made until the kill, over every stage; all the runs made when it survived. */
  seeds: number;
  /** Hunting time until the kill (or in all), over every stage: scratch copies and process starts not counted. */
  seconds: number;
  /** Whether a probe on the mutated line's path was hit; null when no probe sits on it. */
  executed: boolean | null;
  /** Stages that stopped short (time budget), and errors. */
  notes: string[];
}
