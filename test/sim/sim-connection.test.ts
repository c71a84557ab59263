import { describe, expect, it } from "vitest";
import { NO_FAULTS } from "../../sim/faults/parameters.ts";
import { Rng } from "../../sim/random/rng.ts";
import { PendingSteps } from "../../sim/scheduler/pending-steps.ts";
import { EPOCH } from "../../sim/world/context.ts";
import { SimConnection } from "../../sim/world/sim-connection.ts";

describe("a simulated socket", () => {
  it("counts as closed by the server from the server's own close call, while the close still waits behind frames on the wire", () => {
    const steps = new PendingSteps(EPOCH);
    const client = { received: () => {}, closedByServer: () => {} };
    const connection = new SimConnection({ steps, rng: new Rng("socket"), faults: NO_FAULTS }, "c1", "i1", "p1", client, "player:p1", "instance:i1", () => {});
    let closes = 0;
    connection.attach({ onText: () => {}, onPong: () => {}, onClose: () => closes++ });
    steps.now = EPOCH + 1_000;
    connection.serverSocket.send("a frame before the close");
    expect(connection.serverClosedAt).toBeNull();
    connection.serverSocket.close();
    // The server knows at once; the socket's close step has not run yet.
    expect(connection.serverClosedAt).toBe(1_000);
    expect(connection.heldByServer).toBe(true);
    expect(closes).toBe(0);
    // The frame and the close run later, in order: the time the server knew stays.
    steps.now = EPOCH + 3_000;
    for (let next = steps.enabled()[0]; next !== undefined; next = steps.enabled()[0]) {
      steps.take(next);
      next.run();
    }
    expect(connection.heldByServer).toBe(false);
    expect(connection.serverClosedAt).toBe(1_000);
  });
});
