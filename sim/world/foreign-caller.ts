import { MAX_IDEMPOTENCY_KEY_LENGTH } from "../../src/dedicated/create-session-request.ts";
import { assert } from "../assert.ts";
import type { Rng } from "../random/rng.ts";
import type { ReceivedCall, SimDedicatedServer } from "./sim-dedicated-server.ts";

/** What a port scanner or a confused client posts where a create call goes: none of it the contract. */
const JUNK_BODIES = ["", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "{}", '{"players":"p1"}', '{"players":[]}', "\u0000\u00ff\u0010garbage", '{"players":[1,2]}'];

/** A player id no match server sends: what a client of another version puts beside the real ones. */
const STRANGER = "not-a-player";

/** A create call a foreign caller sends, and what it is, for the trace. */
export interface ForeignCall extends ReceivedCall {
  what: string;
}

/**
 * A call to a dedicated server from something other than a match server: junk, a contract body under an invalid
 * Idempotency-Key, a key the server remembers sent again for other players, or a call it received earlier sent
 * again long after its answer (a proxy replaying a capture, a caller retrying on its own clock). Only the last can
 * be a game: the server's current process may not have been the one that answered it.
 */
export function foreignCall(server: SimDedicatedServer, rng: Rng): ForeignCall {
  const shape = rng.pick(["junk", "bad-key", "key-reused", "replay"] as const);
  const remembered = server.rememberedGames;
  if (shape === "key-reused" && remembered.length > 0) {
    const game = rng.pick(remembered);
    assert(game.key !== null, "a remembered game was made for a call with a key");
    return {
      body: JSON.stringify({ players: [...game.players, STRANGER] }),
      headers: { "Idempotency-Key": game.key },
      what: `key ${game.key} again, for other players`,
    };
  }
  if (shape === "replay" && server.received.length > 0) {
    const call = rng.pick(server.received);
    return { ...call, what: `a create call it received earlier, again: ${call.body}` };
  }
  if (shape === "bad-key") {
    const key = rng.chance(0.5) ? "" : "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1);
    return { body: JSON.stringify({ players: [STRANGER] }), headers: { "Idempotency-Key": key }, what: `an invalid Idempotency-Key (${key.length} characters)` };
  }
  const body = rng.pick(JUNK_BODIES);
  return { body, headers: {}, what: `junk: ${JSON.stringify(body)}` };
}
