import type { FaultWorld } from "./fault-kind.ts";

/**
 * The moments a fault of a dedicated server's (its death, its partition) is offered at: right after a step of
 * its own (a heartbeat, a request it handled), one that wrote its record (a claim, a commit), or while a create
 * call to it waits for its answer. A fault there leaves the call unanswered, a claim held for a server that is
 * out of reach, or a created game unannounced.
 */
export function atServerMoment(world: FaultWorld, id: string): boolean {
  return world.momentFor(id) || world.touchedServer(id) || world.callWaiting(id);
}
