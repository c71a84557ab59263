import { describe, expect, it } from "vitest";
import { idempotencyKey } from "../../src/fixed/allocation.ts";
import type { HttpRequestEvent } from "../../sim/trace/events.ts";
import { server, session, view } from "./fixtures.ts";
import { Tape } from "./tape.ts";

/** The body the fixed server sends for session s: its key names the session and the claim's token. */
const BODY = JSON.stringify({ players: ["a", "b"], idempotency_key: idempotencyKey({ sessionId: "s", token: "5eed", mode: "Normal_1v1", players: ["a", "b"] }) });

/** A create call from i1 to ds1 for a and b, made by `cause`. */
function create(tape: Tape, cause: number, outcome: HttpRequestEvent["outcome"]): number {
  const body = BODY;
  return tape.event({ kind: "http-request", instance: "i1", server: "ds1", address: "ds1.sim:7000", url: "http://ds1.sim:7000/session/create", body, outcome }, cause);
}

/** A create call for session s cannot reach ds1 at 1 s; `between` happens; another goes to ds1 at 10 s. */
function askedAgain(between: (tape: Tape, failed: number) => void, outcome: HttpRequestEvent["outcome"] = "unreachable"): string[] {
  const tape = new Tape(["a", "b"]);
  tape.view = view((v) => (session(v, "s", ["a", "b"], ["a", "b"]), server(v, "ds1", "claimed"), server(v, "ds2", "idle")));
  tape.at = 1_000;
  const failed = create(tape, tape.redis(tape.ready("b", "s"), "ok", "fixed:claim_server"), outcome);
  between(tape, failed);
  tape.at = 10_000;
  create(tape, tape.redis(tape.ready("a", "s2"), "ok", "fixed:claim_server"), "handled");
  return tape.invariants();
}

describe("unreachable-servers-rested", () => {
  it("fires for a second create call to a server that could not be reached and showed no sign of life since", () => {
    expect(askedAgain(() => {})).toEqual(["unreachable-servers-rested"]);
  });

  it("stays quiet once Redis applied a command of the server's own (its reply lost or not), or when the failed allocation's rollback met a Redis failure", () => {
    const heartbeat = (outcome: "ok" | "lost-after" | "lost-before") => (tape: Tape) =>
      tape.event({ kind: "redis", client: "ds1", command: "EVALSHA", script: "fixed:register_server", keys: [], args: [], outcome, reply: null, error: null, reads: [], writes: [], readsAll: false });
    expect(askedAgain(heartbeat("ok"))).toEqual([]);
    expect(askedAgain(heartbeat("lost-after"))).toEqual([]);
    expect(askedAgain(heartbeat("lost-before"))).toEqual(["unreachable-servers-rested"]);
    expect(askedAgain((tape, failed) => tape.redis(failed, "lost-before", "fixed:rollback"))).toEqual([]);
  });

  it("stays quiet when a step outside the call's chain ended its session while the call waited (whatever ended it gave the server back), not when the call's own rollback did", () => {
    const endsAt = (at: number, own: boolean) => (tape: Tape, failed: number) => {
      tape.at = at;
      tape.view = view(() => {});
      if (own) tape.redis(failed, "ok", "fixed:rollback");
      else tape.redis(tape.timer("sweep"), "ok", "fixed:leave");
    };
    // Silence until the request timeout (5 s after 1 s): a leave at 3 s ended the session before the rollback could park the server.
    expect(askedAgain(endsAt(3_000, false), "silent")).toEqual([]);
    expect(askedAgain(endsAt(6_000, true), "silent")).toEqual(["unreachable-servers-rested"]);
    // A leave on the call's own chain (storm-servers seed 44: the client left on the chain of the ready that set the
    // call going) gave the server back all the same: the rollback alone is the call's own ending.
    const leftOnTheChain = (tape: Tape, failed: number) => {
      tape.at = 3_000;
      tape.view = view(() => {});
      tape.redis(failed, "ok", "fixed:leave");
    };
    expect(askedAgain(leftOnTheChain, "silent")).toEqual([]);
    expect(askedAgain(() => {}, "silent")).toEqual(["unreachable-servers-rested"]);
  });

  it("stays quiet when Redis went back to a snapshot, or a foreign writer wrote the server's record, since the call: either may have undone the park", () => {
    expect(askedAgain((tape) => ((tape.at = 4_000), tape.rollback(500)))).toEqual([]);
    expect(askedAgain((tape) => ((tape.at = 4_000), tape.foreignWrite(["dedicated_server:ds1"])))).toEqual([]);
    expect(askedAgain((tape) => ((tape.at = 4_000), tape.foreignWrite(["dedicated_server:ds2"])))).toEqual(["unreachable-servers-rested"]);
  });

  it("takes a retrying proxy's second try of a call for that call, not another: storm-servers seed 11", () => {
    const judged = (first: HttpRequestEvent["outcome"]) => {
      const tape = new Tape(["a", "b"]);
      tape.view = view((v) => (session(v, "s", ["a", "b"], ["a", "b"]), session(v, "s2", ["c", "d"], ["c", "d"]), server(v, "ds1", "claimed")));
      tape.at = 500;
      // s's call reaches ds1 and its reply is lost; the proxy tries again later.
      const retried = create(tape, tape.redis(tape.ready("b", "s"), "ok", "fixed:claim_server"), first);
      tape.at = 1_000;
      // s2's call, sent after ds1 was given back, cannot reach it.
      const body = JSON.stringify({ players: ["c", "d"], idempotency_key: "s2:5eed" });
      tape.event({ kind: "http-request", instance: "i2", server: "ds1", address: "ds1.sim:7000", url: "http://ds1.sim:7000/session/create", body, outcome: "unreachable" }, tape.timer("tick"));
      tape.at = 1_500;
      create(tape, retried, "handled");
      return tape.invariants();
    };
    expect(judged("retried")).toEqual([]);
    expect(judged("handled")).toEqual(["unreachable-servers-rested"]);
  });
});
