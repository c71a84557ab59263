/**
 * Marks that a branch worth knowing about ran (a script's status word, a handler's rare path). A simulation
 * counts them to say what a campaign reached; a real process exports them as a metric; by default nothing.
 */
export interface Probes {
  hit(probe: string): void;
}

export const NO_PROBES: Probes = { hit: () => {} };
