import { afterEach, describe, expect, it } from "vitest";
import { FixedText } from "../../src/fixed/index.ts";
import { FixedWorld, MODE, PLAYER_A, PLAYER_B } from "./fixed-world.ts";

let world: FixedWorld;

afterEach(() => expect(world.escaped()).toEqual([]));

describe("client frames are validated before anything else happens", () => {
  it.each([
    ["not JSON", "{not json"],
    ["not an object", "[1,2]"],
    ["an unknown type", JSON.stringify({ type: "teleport" })],
    ["a number for player_id", JSON.stringify({ type: "enqueue", player_id: 7, game_mode: MODE })],
    ["a player_id that is not a UUID", JSON.stringify({ type: "enqueue", player_id: "bob", game_mode: MODE })],
    ["a session id that is not a UUID", JSON.stringify({ type: "loading_complete", loading_session_id: "zzz" })],
    ["an oversized frame", JSON.stringify({ type: "enqueue", player_id: PLAYER_A, game_mode: "x".repeat(5000) })],
  ])("%s gets Invalid message format and touches nothing", async (_name, frame) => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.events.onText(frame);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.invalidFormat]);
    expect(a.socket.closed).toBe(false);
    expect(world.redis.engine.keys().filter((key) => key.includes("player"))).toEqual([]);
    expect(i1.metrics.count("rejected_inputs_total")).toBe(1);
  });

  it("an unknown mode is named in the error", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A, "Ranked_5v5");
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.invalidGameMode("Ranked_5v5")]);
    expect(world.player(PLAYER_A)).toBeNull();
  });

  it("a connection stays bound to its first player", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    a.enqueue(PLAYER_B);
    await world.flush();
    // The refusal is immediate; `queued` comes later, through the inbox.
    expect(a.socket.messages()).toEqual([{ type: "error", message: FixedText.connectionBound }, { type: "queued" }]);
    expect(world.player(PLAYER_B)).toBeNull();
  });

  it("a second enqueue on the same connection is Already in queue", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(a.socket.messages()).toEqual([{ type: "queued" }, { type: "error", message: FixedText.alreadyInQueue }]);
    expect(world.queue()).toEqual([PLAYER_A]);
  });

  it("an upper-case player id is the same player", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A.toUpperCase());
    await world.flush();
    expect(world.queue()).toEqual([PLAYER_A]);
  });

  it("loading_complete before any enqueue is refused", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.ready(PLAYER_B);
    await world.flush();
    expect(a.socket.errors()).toEqual([FixedText.notEnqueued]);
  });

  it("loading_complete for a session the player is not in is ignored quietly", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.enqueue(PLAYER_A);
    a.ready(PLAYER_B);
    await world.flush();
    expect(a.socket.messages()).toEqual([{ type: "queued" }]);
    expect(i1.logger.events()).toContain("ready_ignored");
  });

  it("frames after the close are ignored", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.disconnect();
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(world.player(PLAYER_A)).toBeNull();
  });

  it("a socket whose send throws does not take the handler down", async () => {
    world = new FixedWorld();
    const i1 = await world.instance("i1");
    const a = i1.connect();
    a.socket.send = () => {
      throw new Error("socket gone");
    };
    a.events.onText("{bad");
    a.enqueue(PLAYER_A);
    await world.flush();
    expect(world.player(PLAYER_A)?.state).toBe("queued");
    expect(i1.logger.events()).toContain("send_failed");
  });
});
