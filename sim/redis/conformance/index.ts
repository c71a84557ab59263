export type { Command, Outcome } from "./command.ts";
export { formatCommand } from "./command.ts";
export { compareOutcomes, normalizeError, normalizeReply } from "./compare.ts";
export { commandArbitrary, sequenceArbitrary } from "./generator.ts";
export { CONFORMANCE_SCRIPTS } from "./scripts.ts";
export { describeMismatch, executeOnSim, runSequence, type Mismatch, type RealRedis } from "./runner.ts";
