import { runScoped } from "./run-scoped.ts";

/**
 * ioredis-mock stamps and checks expiries with Date.now, so on the real clock a lock set with PX 10000 would
 * outlive a whole run (a run spans minutes of virtual time in milliseconds of real time). While a run is active,
 * Date.now reads the run's virtual clock instead, so keys expire as they do in the harness and on a real Redis.
 */
export const withVirtualDateNow = runScoped(Date, "now", "withVirtualDateNow");
