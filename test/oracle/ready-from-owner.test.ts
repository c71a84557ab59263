import { describe, expect, it } from "vitest";
import { encodeClientFrame, encodeServerMessage, type ServerMessage } from "../../src/protocol/index.ts";
import { Tape } from "./tape.ts";

const S1 = "5e5e5e5e-0000-4000-8000-000000000001";
const GAME = "9e9e9e9e-0000-4000-8000-000000000009";

/** A message a script publishes to `player` on `connection` a second after the previous one, and its arrival. */
function told(tape: Tape, player: string, connection: string, message: ServerMessage): number {
  tape.at += 1_000;
  const text = encodeServerMessage(message);
  const delivery = tape.event({ kind: "deliver", subscriber: "i1", channel: "inbox", message: text }, tape.redis(tape.timer(), "ok", "fixed:enqueue"));
  return tape.event({ kind: "frame-out", connection, instance: "i1", player, text, dropped: false }, delivery);
}

/** `player`'s loading_complete for S1 reaches the server on `connection`. */
function ready(tape: Tape, player: string, connection: string): number {
  const text = encodeClientFrame({ type: "loading_complete", loading_session_id: S1 });
  return tape.event({ kind: "frame-in", connection, instance: "i1", player, text, dropped: false });
}

/**
 * a and b are told to load S1; a reconnects, and its new connection c-a2 is told start_loading again; a's ready
 * reaches the server on c-a before or after that, and on c-a2 when `readyOnNew`; then a is told match_found on c-a2.
 */
function takeover(options: { oldReady: "before" | "after"; readyOnNew: boolean }): string[] {
  const tape = new Tape(["a", "b"]);
  told(tape, "a", "c-a", { type: "start_loading", loading_session_id: S1 });
  told(tape, "b", "c-b", { type: "start_loading", loading_session_id: S1 });
  if (options.oldReady === "before") ready(tape, "a", "c-a");
  told(tape, "a", "c-a2", { type: "start_loading", loading_session_id: S1 });
  if (options.oldReady === "after") ready(tape, "a", "c-a");
  if (options.readyOnNew) ready(tape, "a", "c-a2");
  ready(tape, "b", "c-b");
  told(tape, "a", "c-a2", { type: "match_found", session_id: GAME, server_address: `ws://ds1.sim:7000/game?session_id=${GAME}` });
  return tape.invariants();
}

describe("ready-from-owner", () => {
  it("fires when a replaced connection's ready is all a game waited for", () => {
    expect(takeover({ oldReady: "after", readyOnNew: false })).toEqual(["ready-from-owner"]);
  });

  it("judges by when each start_loading was published: one to the replaced connection that arrives late changes nothing", () => {
    const tape = new Tape(["a"]);
    tape.at = 1_000;
    const early = tape.event({ kind: "deliver", subscriber: "i1", channel: "inbox", message: "" }, tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match"));
    told(tape, "a", "c-a2", { type: "start_loading", loading_session_id: S1 });
    const text = encodeServerMessage({ type: "start_loading", loading_session_id: S1 });
    tape.event({ kind: "frame-out", connection: "c-a", instance: "i1", player: "a", text, dropped: false }, early);
    ready(tape, "a", "c-a2");
    // Told again after a lost subscription (resync), then matched.
    told(tape, "a", "c-a2", { type: "start_loading", loading_session_id: S1 });
    told(tape, "a", "c-a2", { type: "match_found", session_id: GAME, server_address: `ws://ds1.sim:7000/game?session_id=${GAME}` });
    expect(tape.invariants()).toEqual([]);
  });

  it("stays quiet when the new connection confirmed loading, or the old one's ready came before the takeover", () => {
    expect(takeover({ oldReady: "after", readyOnNew: true })).toEqual([]);
    expect(takeover({ oldReady: "before", readyOnNew: false })).toEqual([]);
  });
});
