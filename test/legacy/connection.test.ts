import { describe, expect, it } from "vitest";
import { ErrorText } from "../../src/protocol/index.ts";
import { enqueue, LegacyWorld, MODE, PLAYER_A, PLAYER_B, QUEUE } from "./legacy-world.ts";

describe("legacy connection", () => {
  it("answers an unparseable frame with Invalid message format, on the socket itself", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    client.events.onText("{not json");
    client.events.onText(JSON.stringify({ type: "dance" }));
    client.events.onText(JSON.stringify({ type: "enqueue", player_id: 7, game_mode: MODE }));
    await world.flush();
    expect(client.socket.messages()).toEqual([
      { type: "error", message: ErrorText.invalidFormat },
      { type: "error", message: ErrorText.invalidFormat },
      { type: "error", message: ErrorText.invalidFormat },
    ]);
    expect(world.redis.engine.keys()).toEqual([]);
    expect(world.metrics.count("rejected_inputs_total")).toBe(3);
  });

  it("queues a player and tells it queued through pub/sub", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, PLAYER_A);
    await world.flush();
    expect(client.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.queue()).toEqual([PLAYER_A]);
  });

  it("accepts any string as a player id at the frame", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, "bob");
    await world.flush();
    expect(client.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.queue()).toEqual(["bob"]);
  });

  it("ignores a second enqueue on the same connection", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, PLAYER_A);
    enqueue(client, PLAYER_B);
    await world.flush();
    expect(client.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.queue()).toEqual([PLAYER_A]);
    expect(world.logger.events()).toContain("enqueue_repeated");
  });

  it("tells a player already in the queue so, on its latest connection", async () => {
    const world = new LegacyWorld();
    const instance = await world.instance("i1");
    const first = instance.connect();
    const second = instance.connect();
    enqueue(first, PLAYER_A);
    await world.flush();
    enqueue(second, PLAYER_A);
    await world.flush();
    expect(first.socket.messages()).toEqual([{ type: "queued" }]);
    expect(second.socket.messages()).toEqual([{ type: "error", message: ErrorText.alreadyInQueue }]);
  });

  it("refuses an unknown game mode but still remembers the connection's player and mode", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, PLAYER_A, "Ranked_5v5");
    await world.flush();
    expect(client.socket.messages()).toEqual([{ type: "error", message: ErrorText.invalidGameMode("Ranked_5v5") }]);
    expect(world.redis.engine.keys()).toEqual([]);
    client.events.onClose();
    await world.flush();
    expect(world.logger.entries.find((e) => e.event === "dequeue_not_queued")?.fields.queue).toBe("queue:Ranked_5v5");
  });

  it("ignores loading_complete before any enqueue", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    client.send({ type: "loading_complete", loading_session_id: "6f1c2d4e-0000-4000-8000-000000000001" });
    await world.flush();
    expect(world.supervisor.escaped).toEqual([]);
    expect(world.logger.events()).toContain("loading_complete_without_player");
    expect(world.logger.events()).not.toContain("loading_complete_waiting");
  });

  it("dequeues a queued player on close and stops forwarding its notifications", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, PLAYER_A);
    await world.flush();
    client.events.onClose();
    await world.flush();
    expect(world.queue()).toEqual([]);
    world.exec("PUBLISH", `notifications:${PLAYER_A}`, JSON.stringify({ type: "queued" }));
    await world.flush();
    expect(client.socket.messages()).toEqual([{ type: "queued" }]);
    expect(world.logger.events()).toContain("notification_dropped");
  });

  it("does nothing on close when no enqueue was ever received", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    client.events.onClose();
    await world.flush();
    expect(world.logger.events().filter((e) => e.includes("dequeue") || e.includes("cancel"))).toEqual([]);
  });

  it("pings on every heartbeat and keeps a connection that answers with pongs", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, PLAYER_A);
    await world.flush();
    await world.advance(60_000, client);
    expect(client.socket.closed).toBe(false);
    expect(client.socket.pings).toBe(60_000 / world.config.heartbeatIntervalMs);
  });

  it("closes a silent connection on heartbeat timeout and runs the close logic once", async () => {
    const world = new LegacyWorld();
    const client = (await world.instance("i1")).connect();
    enqueue(client, PLAYER_A);
    await world.flush();
    // Text frames do not count as life: only pongs do.
    await world.time.advance(world.config.clientTimeoutMs);
    client.events.onText("{}");
    await world.time.advance(world.config.heartbeatIntervalMs);
    await world.flush();
    expect(client.socket.closed).toBe(true);
    expect(world.queue()).toEqual([]);
    client.events.onClose();
    await world.flush();
    expect(world.logger.events().filter((e) => e === "player_dequeued")).toHaveLength(1);
    expect(world.logger.events().filter((e) => e === "heartbeat_timeout")).toHaveLength(1);
  });

  it("forwards a player's notifications across instances", async () => {
    const world = new LegacyWorld();
    const one = await world.instance("i1");
    const two = await world.instance("i2");
    const a = one.connect();
    const b = two.connect();
    enqueue(a, PLAYER_A);
    enqueue(b, PLAYER_B);
    await world.flush();
    await world.time.advance(world.config.matchTickMs);
    await world.flush();
    const sessionA = a.socket.last();
    const sessionB = b.socket.last();
    expect(sessionA?.type).toBe("start_loading");
    expect(sessionB).toEqual(sessionA);
    expect(world.queue(QUEUE)).toEqual([]);
  });
});
