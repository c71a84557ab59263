import type { Scenario } from "../sim/scenario/options.ts";
import cancelVsComplete from "./cancel-vs-complete.ts";
import completeVsStale from "./complete-vs-stale.ts";
import happyPath from "./happy-path.ts";
import instanceCrash from "./instance-crash.ts";
import malformedInput from "./malformed-input.ts";
import playsAgain from "./plays-again.ts";
import redisRestart from "./redis-restart.ts";
import redisRollback from "./redis-rollback.ts";
import serverContention from "./server-contention.ts";
import staleSweep from "./stale-sweep.ts";
import swarm from "./swarm.ts";

/** Every scenario, in the order `sim list` shows them. */
export const SCENARIOS: readonly Scenario[] = [
  happyPath,
  cancelVsComplete,
  completeVsStale,
  staleSweep,
  malformedInput,
  serverContention,
  instanceCrash,
  redisRestart,
  redisRollback,
  playsAgain,
  swarm,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
