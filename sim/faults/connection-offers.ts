import type { FaultWorld, LossyConnection } from "./fault-kind.ts";

/**
 * Offers a fault of one Redis connection as a choice on every connection (each instance slot's, each dedicated
 * server's) whenever that connection has a command due: `strike` does it to the connection and says what it did.
 */
export function offerOnConnections(world: FaultWorld, fault: string, strike: (connection: LossyConnection) => string): void {
  for (const target of world.connectionTargets) {
    world.offer(
      { fault, target, note: "" },
      () => world.connection(target)?.commandReady() === true,
      () => {
        const connection = world.connection(target);
        return connection ? strike(connection) : "no connection";
      },
    );
  }
}
