import { describe, expect, it } from "vitest";
import { encodeClientFrame, encodeServerMessage, ErrorText, type ServerMessage } from "../../src/protocol/index.ts";
import type { PlayerConnection } from "../../sim/players/player.ts";
import { Tape } from "./tape.ts";

/** Player a's enqueue reaches the server; returns the frame's step. */
function enqueue(tape: Tape): number {
  const text = encodeClientFrame({ type: "enqueue", player_id: "a", game_mode: "Normal_1v1" });
  return tape.event({ kind: "frame-in", connection: "c-a", instance: "i1", player: "a", text, dropped: false });
}

/** A frame the server sends player a straight from its handler (no publish), made by `cause`. */
function send(tape: Tape, message: ServerMessage, cause: number, dropped = false): number {
  const text = encodeServerMessage(message);
  if (!dropped) tape.player("a").received(tape.player("a").connection as PlayerConnection, text);
  return tape.event({ kind: "frame-out", connection: "c-a", instance: "i1", player: "a", text, dropped }, cause);
}

/** a's enqueue gets no reply within its deadline (Redis is away): the deadline's timer answers the internal error. */
function timedOut(tape: Tape): number {
  const frame = enqueue(tape);
  tape.at = 2_000;
  send(tape, { type: "error", message: ErrorText.internal }, tape.event({ kind: "timer", owner: "i1", timer: "enqueue deadline" }, frame));
  return frame;
}

describe("failed-requests-stay-failed", () => {
  it("fires when the attempt of an enqueue answered with an internal error later queues the player and says so", () => {
    const tape = new Tape(["a"]);
    const frame = timedOut(tape);
    tape.at = 3_000;
    tape.tell("a", { type: "queued" }, tape.redis(frame, "ok", "fixed:enqueue"));
    expect(tape.invariants()).toEqual(["failed-requests-stay-failed"]);
  });

  it("stays quiet for a placement the client's next request brought, a frame nobody read, or one the tick sent", () => {
    const asked = new Tape(["a"]);
    timedOut(asked);
    asked.at = 3_000;
    asked.tell("a", { type: "queued" }, asked.redis(enqueue(asked), "ok", "fixed:enqueue"));
    expect(asked.invariants()).toEqual([]);

    const closed = new Tape(["a"]);
    const frame = timedOut(closed);
    closed.at = 3_000;
    const script = closed.redis(frame, "ok", "fixed:enqueue");
    send(closed, { type: "queued" }, closed.event({ kind: "deliver", subscriber: "i1", channel: "inbox", message: "{}" }, script), true);
    expect(closed.invariants()).toEqual([]);

    const ticked = new Tape(["a"]);
    timedOut(ticked);
    ticked.at = 5_000;
    ticked.tell("a", { type: "start_loading", loading_session_id: "5e5e5e5e-0000-4000-8000-000000000001" }, ticked.redis(ticked.timer("tick:Normal_1v1"), "ok", "fixed:match"));
    expect(ticked.invariants()).toEqual([]);
  });
});
