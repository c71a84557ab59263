import { describe, expect, it } from "vitest";
import { encodeClientFrame } from "../../src/protocol/index.ts";
import type { RedisOutcome } from "../../sim/trace/events.ts";
import type { ServerView } from "../../sim/oracle/server-view.ts";
import { config, queued, server, session, view } from "./fixtures.ts";
import { FixedText, Tape, type TapeConnection } from "./tape.ts";

const S1 = "5e5e5e5e-0000-4000-8000-000000000001";
const GAME = "9e9e9e9e-0000-4000-8000-000000000009";
const ADDRESS = `ws://ds1.sim:7000/game?session_id=${GAME}`;

/** Players a and b matched into S1 at 0 s by a tick; `idle` dedicated servers meanwhile. */
function loadingPair(idle: boolean, build: ConstructorParameters<typeof Tape>[1] = {}): Tape {
  const tape = new Tape(["a", "b"], build);
  tape.view = view((v) => {
    session(v, S1, ["a", "b"]);
    if (idle) server(v, "ds1", "idle");
  });
  const match = tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match");
  tape.tell("a", { type: "start_loading", loading_session_id: S1 }, match);
  tape.tell("b", { type: "start_loading", loading_session_id: S1 }, match);
  return tape;
}

/** Both ready at 1 s; b's ready is the last, and its chain claims a server and asks it for a game. */
function readyPair(tape: Tape): number {
  tape.at = 1_000;
  tape.redis(tape.ready("a", S1));
  return tape.redis(tape.redis(tape.ready("b", S1)), "ok", "fixed:claim_server");
}

function settle(tape: Tape): void {
  tape.at = 90_000;
  tape.view = view((v) => {
    queued(v, "a");
    queued(v, "b");
  });
  tape.end();
}

describe("ready-respected: a re-queued ready group is owed a reason the world confirms", () => {
  it("fires for an allocation failure when the dedicated server answered and nothing failed", () => {
    const tape = loadingPair(true);
    const rollback = tape.redis(tape.httpExchange(readyPair(tape)), "ok", "fixed:rollback");
    tape.requeue("a", FixedText.allocationFailed, rollback);
    tape.requeue("b", FixedText.allocationFailed, rollback);
    settle(tape);
    expect(tape.invariants()).toContain("ready-respected");
    expect(tape.oracle.violations.find((v) => v.invariant === "ready-respected")?.message).toContain("no dedicated server failed");
  });

  it("stays quiet when the dedicated server's reply was a fault's 5xx, or a command on the way failed", () => {
    const refused = loadingPair(true);
    const rollback = refused.redis(refused.httpExchange(readyPair(refused), { status: 500, fault: "5xx" }), "ok", "fixed:rollback");
    refused.requeue("a", FixedText.allocationFailed, rollback);
    refused.requeue("b", FixedText.allocationFailed, rollback);
    settle(refused);
    expect(refused.invariants()).not.toContain("ready-respected");

    const lost = loadingPair(true);
    const retried = lost.redis(lost.redis(readyPair(lost), "lost-after", "fixed:commit"), "ok", "fixed:rollback");
    lost.requeue("a", FixedText.allocationFailed, retried);
    lost.requeue("b", FixedText.allocationFailed, retried);
    settle(lost);
    expect(lost.invariants()).not.toContain("ready-respected");
  });

  it("fires for 'no server available' while a server was idle at every step, and stays quiet when none was", () => {
    for (const idle of [true, false]) {
      const tape = loadingPair(idle);
      const rollback = tape.redis(readyPair(tape), "ok", "fixed:rollback");
      tape.requeue("a", FixedText.noServer, rollback);
      tape.requeue("b", FixedText.noServer, rollback);
      settle(tape);
      expect(tape.invariants().includes("ready-respected")).toBe(idle);
    }
  });

  it("fires for 'a player disconnected' unless the server heard the other's connection close while it still stood for it", () => {
    for (const how of ["stayed", "closed", "replaced"] as const) {
      const tape = loadingPair(true);
      readyPair(tape);
      tape.at = 2_000;
      const b = tape.player("b");
      const connection = b.connection as TapeConnection;
      // A takeover tells the old connection so, then closes it: that close is no leave.
      if (how === "replaced") tape.tell("b", { type: "error", message: FixedText.replaced }, tape.redis(tape.ready("b", S1), "ok", "fixed:enqueue"));
      if (how !== "stayed") {
        b.dropNetwork();
        connection.serverClosedAt = 2_000;
      }
      const cancel = tape.redis(tape.event({ kind: "close", connection: "c-b", instance: "i1", player: "b", by: "client", result: "closed" }), "ok", "fixed:leave");
      tape.requeue("a", FixedText.peerDisconnected, cancel);
      settle(tape);
      expect([how, tape.invariants().includes("ready-respected")]).toEqual([how, how !== "closed"]);
    }
  });

  it("stays quiet when a foreign writer spoiled a member's record and the server took that member to have left", () => {
    for (const spoiled of [true, false]) {
      const tape = loadingPair(true);
      tape.at = 500;
      if (spoiled) tape.foreignWrite(["{mm}:player:a"]);
      tape.at = 1_000;
      tape.redis(tape.ready("b", S1));
      // a's ready finds its record spoiled: a is told to start over, its session cancelled, b re-queued.
      const discard = tape.redis(tape.ready("a", S1), "ok", "fixed:ready", { writes: ["{mm}:player:a", "{mm}:player:b"] });
      tape.tell("a", { type: "error", message: FixedText.stateLost }, discard);
      tape.requeue("b", FixedText.peerDisconnected, discard);
      tape.at = 90_000;
      tape.view = view((v) => queued(v, "b"));
      tape.end();
      expect([spoiled, tape.invariants()]).toEqual([spoiled, spoiled ? [] : ["ready-respected", "ready-respected"]]);
    }
  });

  /** A view with i1's presence lasting `until`, and S1 with both ready when `loading`. */
  const presence = (until: number, loading = true) => (v: ServerView) => {
    if (loading) session(v, S1, ["a", "b"], ["a", "b"]);
    v.instancesLiveUntil = new Map([["i1", until]]);
  };

  /**
   * From `at`: a sweep reaps i1 (gone from the view when `gone`) and a is told a peer left; i1, fenced when it next
   * renews, closes the connections it still holds, b's among them; then the run ends. Whether ready-respected fired.
   */
  function reapedAt(tape: Tape, at: number, gone: boolean): boolean {
    tape.at = at;
    tape.view = view((v) => {
      presence(60_000)(v);
      if (gone) v.instancesLiveUntil = new Map();
    });
    const reap = tape.redis(tape.timer("sweep"), "ok", "fixed:reap_instances");
    tape.requeue("a", FixedText.peerDisconnected, reap);
    tape.at = at + 4_000;
    const b = tape.player("b");
    b.dropNetwork();
    (b.connection as TapeConnection).serverClosedAt = tape.at;
    tape.event({ kind: "close", connection: "c-b", instance: "i1", player: "b", by: "server", result: "closed" });
    tape.at = 90_000;
    tape.view = view((v) => queued(v, "a"));
    tape.end();
    return tape.invariants().includes("ready-respected");
  }

  it("takes a member whose instance's presence lapsed, for whatever reason (renewals lost on a lossy link), as gone, not one whose presence held", () => {
    // server-contention seed 584: i1 lost its presence renewals on a flaky link and was reaped, alive all along.
    for (const lapses of [true, false]) {
      const tape = loadingPair(true);
      tape.at = 1_000;
      tape.redis(tape.ready("a", S1));
      tape.redis(tape.ready("b", S1));
      tape.at = 15_000;
      tape.view = view(presence(lapses ? 14_000 : 60_000));
      tape.timer("presence");
      expect([lapses, reapedAt(tape, 15_500, lapses)]).toEqual([lapses, !lapses]);
    }
  });

  it("finds an instance's presence under the id it calls itself in Redis, which a restart may have kept from its predecessor", () => {
    // i1 is a restarted incarnation that kept the id i0: its presence is listed, and lapses, as i0.
    for (const kept of [true, false]) {
      const tape = loadingPair(true, kept ? { serverIds: { i1: "i0" } } : {});
      tape.at = 1_000;
      tape.redis(tape.ready("a", S1));
      tape.redis(tape.ready("b", S1));
      tape.at = 15_000;
      tape.view = view((v) => {
        session(v, S1, ["a", "b"], ["a", "b"]);
        v.instancesLiveUntil = new Map([["i0", 14_000]]);
      });
      tape.timer("presence");
      expect([kept, reapedAt(tape, 15_500, true)]).toEqual([kept, !kept]);
    }
  });

  it("takes an instance whose presence lapsed, came back, and lapsed again during the session as gone, not one that lapsed only long before it", () => {
    // A stormy swarm-like world: i1's renewals were lost twice; the first lapse came well before the session.
    for (const again of [true, false]) {
      const tape = new Tape(["a", "b"]);
      tape.view = view(presence(1_000, false));
      tape.timer("presence");
      tape.at = 3_000;
      tape.timer("presence");
      tape.at = 4_000;
      tape.view = view(presence(30_000, false));
      tape.timer("presence");
      tape.at = 10_000;
      tape.view = view((v) => session(v, S1, ["a", "b"]));
      const match = tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match");
      tape.tell("a", { type: "start_loading", loading_session_id: S1 }, match);
      tape.tell("b", { type: "start_loading", loading_session_id: S1 }, match);
      tape.at = 11_000;
      tape.redis(tape.ready("a", S1));
      tape.redis(tape.ready("b", S1));
      tape.at = 31_000;
      tape.view = view(presence(again ? 30_000 : 60_000));
      tape.timer("presence");
      expect([again, reapedAt(tape, 31_500, again)]).toEqual([again, !again]);
    }
  });

  it("takes a member's instance cut off from Redis long enough for its presence to lapse as that member gone, not one cut off briefly or only deaf", () => {
    const lapseMs = config.instanceTtlMs - 2 * config.presenceIntervalMs;
    // A subscription lost for as long leaves the presence renewing: that member is still there.
    for (const [cutMs, cutOff] of [[lapseMs, true], [lapseMs - 1, true], [2 * lapseMs, false]] as const) {
      const tape = loadingPair(true);
      tape.at = 1_000;
      tape.redis(tape.ready("a", S1));
      tape.redis(tape.ready("b", S1));
      tape.interruptions.push({ kind: "deaf", slot: "i1", instance: "i1", from: 2_000, until: 2_000 + cutMs, cutOff });
      tape.at = 20_000;
      const reap = tape.redis(tape.timer("sweep"), "ok", "fixed:reap_instances");
      tape.requeue("a", FixedText.peerDisconnected, reap);
      tape.at = 90_000;
      tape.view = view((v) => queued(v, "a"));
      tape.end();
      expect([cutMs, tape.invariants().includes("ready-respected")]).toEqual([cutMs, !cutOff || cutMs < lapseMs]);
    }
  });

  it("stays quiet for an allocation failure the sweep reported after the allocating instance crashed", () => {
    const tape = loadingPair(true);
    readyPair(tape);
    tape.interruptions.push({ kind: "crash", slot: "i1", instance: "i1", from: 1_500, until: 4_000 });
    tape.at = 17_000;
    const expiry = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    tape.requeue("a", FixedText.allocationFailed, expiry);
    tape.requeue("b", FixedText.allocationFailed, expiry);
    settle(tape);
    expect(tape.invariants()).toEqual([]);
  });
});

describe("ready-respected: an answer the server closed the connection with ended that connection, not the session", () => {
  const OTHER = "9e9e9e9e-0000-4000-8000-00000000000a";

  /**
   * a and b ready at 1 s; the allocation commits GAME at 2 s and tells a. At 3 s b's second enqueue, held past its
   * deadline, is answered "Internal server error", and (`closes`) its connection closed in the same work. At 5 s
   * b, on a new connection when it was closed, enqueues and is told `told` (null: nothing). `paused`: b's instance
   * i1 was paused from 2.5 s to 3 s, so the answer came from an instance the others may have reaped meanwhile.
   */
  function refusedWithClose(closes: boolean, told: string | null, paused = false): string[] {
    const tape = loadingPair(true, { games: [{ session: GAME, players: ["a", "b"] }, { session: OTHER, players: ["b", "c"] }] });
    if (paused) tape.interruptions.push({ kind: "pause", slot: "i1", instance: "i1", from: 2_500, until: 3_000 });
    const claim = readyPair(tape);
    tape.at = 2_000;
    tape.view = view((v) => server(v, "ds1", "busy"));
    const commit = tape.redis(tape.httpExchange(claim), "ok", "fixed:commit");
    tape.tell("a", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
    tape.at = 3_000;
    tape.refuse("b", FixedText.internal, tape.timer("enqueue deadline"), closes);
    tape.at = 5_000;
    if (closes) tape.reconnect("b", "i2");
    const text = encodeClientFrame({ type: "enqueue", player_id: "b", game_mode: "Normal_1v1" });
    const enqueue = tape.redis(tape.event({ kind: "frame-in", connection: "c-b", instance: "i2", player: "b", text, dropped: false }), "ok", "fixed:enqueue");
    if (told !== null) tape.tell("b", { type: "match_found", session_id: told, server_address: `ws://ds1.sim:7000/game?session_id=${told}` }, enqueue);
    tape.at = 90_000;
    tape.end();
    return tape.invariants().filter((invariant) => invariant === "ready-respected");
  }

  it("stays quiet when the member, back on a new connection, is told the game its session was announced as", () => {
    expect(refusedWithClose(true, GAME)).toEqual([]);
  });

  it("fires when the member is told nothing of that game afterwards, or another game", () => {
    expect(refusedWithClose(true, null)).toEqual(["ready-respected"]);
    expect(refusedWithClose(true, OTHER)).toEqual(["ready-respected"]);
  });

  it("fires for the same refusal on a connection the server kept open, even if the game follows on it", () => {
    expect(refusedWithClose(false, GAME)).toEqual(["ready-respected"]);
  });

  it("stays quiet when the closing answer came from the member's instance lost to the session meanwhile (paused: reaped, then fenced), not from one kept open", () => {
    expect(refusedWithClose(true, null, true)).toEqual([]);
    expect(refusedWithClose(false, null, true)).toEqual(["ready-respected"]);
  });

  /**
   * a and b ready at 1 s, their allocation still on its way; at 3 s b's enqueue from a new connection is answered
   * "Internal server error" and closed by work that met a command lost with its reply (`troubled`) or not.
   */
  function refusedAfterTrouble(troubled: boolean): string[] {
    const tape = loadingPair(true);
    readyPair(tape);
    tape.at = 3_000;
    const text = encodeClientFrame({ type: "enqueue", player_id: "b", game_mode: "Normal_1v1" });
    const enqueue = tape.event({ kind: "frame-in", connection: "c-b", instance: "i1", player: "b", text, dropped: false });
    tape.refuse("b", FixedText.internal, troubled ? tape.redis(enqueue, "lost-after", "fixed:enqueue") : tape.timer("enqueue deadline"));
    tape.at = 90_000;
    tape.end();
    return tape.invariants().filter((invariant) => invariant === "ready-respected");
  }

  it("stays quiet when the work that closed the connection with its answer met a failed Redis command, not when nothing failed", () => {
    expect(refusedAfterTrouble(true)).toEqual([]);
    expect(refusedAfterTrouble(false)).toEqual(["ready-respected"]);
  });
});

describe("ready-respected: an allocation ended by its dedicated server's replacement registering afresh", () => {
  /** a and b ready at 1 s, their server called; at 3 s `by` sends both "allocation failed". */
  function endedBy(replacement: boolean): string[] {
    const tape = loadingPair(true);
    readyPair(tape);
    tape.at = 3_000;
    let cause: number;
    if (replacement) {
      const death = tape.event({ kind: "fault", fault: "server-death", target: "ds1", note: "by choice", effect: "ds1 died with its game" });
      const back = tape.event({ kind: "fault", fault: "server-return", target: "ds1", note: "", effect: "ds1 started again" }, death);
      cause = tape.event({ kind: "redis", client: "ds1", command: "EVALSHA", script: "fixed:register_server", keys: [], args: [], outcome: "ok", reply: null, error: null, reads: [], writes: [], readsAll: false }, back);
    } else {
      cause = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    }
    tape.requeue("a", FixedText.allocationFailed, cause);
    tape.requeue("b", FixedText.allocationFailed, cause);
    settle(tape);
    return tape.invariants().filter((invariant) => invariant === "ready-respected");
  }

  it("takes the process's death as the failure the message names, and fires for the same message from work nothing failed on", () => {
    expect(endedBy(true)).toEqual([]);
    expect(endedBy(false)).toContain("ready-respected");
  });
});

describe("ready-respected: a ready whose connection the server closed before any of its commands ran never counts", () => {
  /** b's ready reaches i1 at 5 s and runs nothing; at 6 s (`closedAt`) the server closes b's connection, or never; the sweep times both out. */
  function readyThenClosed(closedAt: number | null): string[] {
    const tape = loadingPair(true);
    tape.at = 1_000;
    tape.redis(tape.ready("a", S1));
    tape.at = 5_000;
    tape.ready("b", S1);
    if (closedAt !== null) {
      tape.at = closedAt;
      const connection = tape.player("b").connection as TapeConnection;
      connection.serverClosedAt = closedAt;
    }
    tape.at = config.loadingTimeoutMs + 500;
    const expiry = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    tape.requeue("a", FixedText.timedOut, expiry);
    tape.tell("b", { type: "error", message: FixedText.loadingTimedOut }, expiry);
    tape.at = 90_000;
    tape.end();
    return tape.invariants().filter((invariant) => invariant === "ready-respected");
  }

  it("stays quiet when the server closed it after the ready arrived, and fires when the connection stayed open or closed before", () => {
    expect(readyThenClosed(6_000)).toEqual([]);
    expect(readyThenClosed(null)).toContain("ready-respected");
    expect(readyThenClosed(4_000)).toContain("ready-respected");
  });
});

describe("ready-respected: a member the server told to load where its client no longer listens", () => {
  /**
   * b opened a second connection and left the first open; the second has since died. The server tells b to load
   * on the first (its late enqueue came there), where b's client does not listen; a is ready at 1 s; the sweep
   * times both out. `firstOpen`: whether b's client still holds that first connection.
   */
  function toldOnAbandoned(firstOpen: boolean): string[] {
    const tape = new Tape(["a", "b"]);
    const first = tape.player("b").connection as TapeConnection;
    tape.reconnect("b", "i1");
    (tape.player("b").connection as TapeConnection).clientOpen = false;
    first.clientOpen = firstOpen;
    tape.view = view((v) => session(v, S1, ["a", "b"]));
    const match = tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match");
    tape.tell("a", { type: "start_loading", loading_session_id: S1 }, match);
    tape.tell("b", { type: "start_loading", loading_session_id: S1 }, match, first);
    tape.at = 1_000;
    tape.redis(tape.ready("a", S1));
    tape.at = config.loadingTimeoutMs + 500;
    tape.view = view(() => {});
    const expiry = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    tape.requeue("a", FixedText.timedOut, expiry);
    tape.tell("b", { type: "error", message: FixedText.loadingTimedOut }, expiry, first);
    tape.at = 90_000;
    tape.end();
    return tape.invariants().filter((invariant) => invariant === "ready-respected");
  }

  it("stays quiet while that connection is open (the server rightly waits for its ready), and fires once b holds no connection", () => {
    expect(toldOnAbandoned(true)).toEqual([]);
    expect(toldOnAbandoned(false)).toEqual(["ready-respected"]);
  });
});

describe("ready-respected: the deadline is judged exactly where the world says when a ready reached Redis", () => {
  /** b's ready reaches the server at `deliveredAt` and its script runs `latencyMs` later; then the sweep times both out. */
  function lateReady(deliveredAt: number, latencyMs: number | null, withSteps = true): string[] {
    const tape = loadingPair(true);
    tape.at = 1_000;
    tape.redis(tape.ready("a", S1));
    tape.at = deliveredAt;
    const frame = tape.ready("b", S1);
    if (latencyMs !== null) {
      tape.at = deliveredAt + latencyMs;
      tape.redis(frame);
    }
    tape.at = config.loadingTimeoutMs + 500;
    const expiry = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    tape.requeue("a", FixedText.timedOut, expiry);
    tape.tell("b", { type: "error", message: FixedText.loadingTimedOut }, expiry);
    if (!withSteps) return tape.invariants();
    settle(tape);
    return tape.invariants();
  }

  it("fires for a timeout of a group whose last ready reached Redis at the deadline's millisecond", () => {
    expect(lateReady(config.loadingTimeoutMs, 0)).toContain("ready-respected");
  });

  it("stays quiet when the world's latency carried that ready's script past the deadline", () => {
    expect(lateReady(config.loadingTimeoutMs - 300, 301)).not.toContain("ready-respected");
  });

  const NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

  /**
   * b's ready reaches i1 at 5 s and its handler's EVALSHAs come out as `attempts` say, one after the other; then
   * (`crashes`) i1 crashes; the sweep times both out.
   */
  function readyAttempts(attempts: Array<{ outcome: RedisOutcome; error: string | null }>, crashes = false, recorded = false, queuedBehind?: string, behindAnother = false): string[] {
    const tape = loadingPair(true);
    tape.at = 1_000;
    tape.redis(tape.ready("a", S1));
    tape.at = 5_000;
    let cause = tape.ready("b", S1);
    // The ready's handler waited behind another on its connection (a resync): its commands continue that chain.
    if (behindAnother) cause = tape.redis(tape.timer("resync"), "ok", "fixed:resync");
    if (recorded) {
      // Its script ran on the chain of a handler it waited behind: the frame's own chain shows nothing.
      tape.view = view((v) => (session(v, S1, ["a", "b"], ["a", "b"]), server(v, "ds1", "idle")));
      tape.timer("another handler's chain");
    }
    for (const { outcome, error } of attempts) {
      const args = behindAnother ? ["b", S1, "i1/2", "15000"] : [];
      cause = tape.event({ kind: "redis", client: "i1", command: "EVALSHA", script: "fixed:ready", keys: [`{mm}:session:${S1}`], args, outcome, reply: null, error, reads: [], writes: [], readsAll: false }, cause);
    }
    // A handler queued behind the ready on the same connection continues its chain with a script of its own.
    if (queuedBehind !== undefined) tape.event({ kind: "redis", client: "i1", command: "EVALSHA", script: queuedBehind, keys: ["{mm}:player:b"], args: [], outcome: "ok", reply: null, error: null, reads: [], writes: [], readsAll: false }, cause);
    if (crashes) tape.interruptions.push({ kind: "crash", slot: "i1", instance: "i1", from: 5_001, until: null });
    tape.at = config.loadingTimeoutMs + 500;
    const expiry = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    tape.requeue("a", FixedText.timedOut, expiry);
    tape.tell("b", { type: "error", message: FixedText.loadingTimedOut }, expiry);
    settle(tape);
    return tape.invariants();
  }

  it("counts no ready whose instance crashed before its script ran: a cold script cache's refusal is not the script running", () => {
    expect(readyAttempts([{ outcome: "error", error: NOSCRIPT }], true)).not.toContain("ready-respected");
    expect(readyAttempts([{ outcome: "error", error: NOSCRIPT }])).toContain("ready-respected");
  });

  it("counts a ready the views showed recorded though the frame's own chain ran no script, even if its instance crashed after", () => {
    expect(readyAttempts([], true, true)).toContain("ready-respected");
    expect(readyAttempts([], true, false)).not.toContain("ready-respected");
  });

  it("counts no ready whose every command was lost or refused (a lost NOSCRIPT reply is no application), and counts one Redis applied though its reply was lost", () => {
    // A lossy link: lost on the way, a cold cache's refusal whose reply is lost, then the last try.
    const lossy = (last: RedisOutcome) => [
      { outcome: "lost-before" as const, error: null },
      { outcome: "lost-after" as const, error: NOSCRIPT },
      { outcome: last, error: null },
    ];
    expect(readyAttempts(lossy("lost-before"))).not.toContain("ready-respected");
    expect(readyAttempts(lossy("lost-after"))).toContain("ready-respected");
  });

  it("takes no script of a handler queued behind a lost ready (a resync) for the ready reaching Redis, but keeps one that did", () => {
    const lost = [
      { outcome: "lost-before" as const, error: null },
      { outcome: "lost-before" as const, error: null },
    ];
    expect(readyAttempts(lost, false, false, "fixed:resync")).not.toContain("ready-respected");
    expect(readyAttempts([{ outcome: "ok", error: null }], false, false, "fixed:resync")).toContain("ready-respected");
  });

  it("counts no ready whose every command was lost on the chain of a handler it waited behind, and counts one applied there", () => {
    const lost = [
      { outcome: "lost-before" as const, error: null },
      { outcome: "lost-before" as const, error: null },
      { outcome: "lost-before" as const, error: null },
    ];
    expect(readyAttempts(lost, false, false, undefined, true)).not.toContain("ready-respected");
    expect(readyAttempts([...lost.slice(1), { outcome: "ok", error: null }], false, false, undefined, true)).toContain("ready-respected");
  });

  it("applies the grace where the ready's script never ran for the world to see", () => {
    expect(lateReady(config.loadingTimeoutMs - 1_000, null)).not.toContain("ready-respected");
    expect(lateReady(config.loadingTimeoutMs - 10_000, null)).toContain("ready-respected");
  });
});

describe("prompt-answers", () => {
  it("waits for the sweep where a foreign writer spoiled the session the group was in, not where nothing did", () => {
    for (const spoiled of [true, false]) {
      const tape = loadingPair(false);
      tape.at = 500;
      if (spoiled) tape.foreignWrite(["{mm}:session:S1"]);
      tape.at = 1_000;
      tape.redis(tape.ready("a", S1));
      tape.redis(tape.ready("b", S1));
      tape.at = 61_000;
      const expiry = tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due", { writes: ["{mm}:session:S1"] });
      tape.requeue("a", FixedText.sessionLost, expiry);
      tape.requeue("b", FixedText.sessionLost, expiry);
      settle(tape);
      expect([spoiled, tape.invariants().includes("prompt-answers")]).toEqual([spoiled, !spoiled]);
    }
  });

  it("fires for a ready group answered by the sweep although nothing failed, and stays quiet when its ready's chain answered", () => {
    const swept = loadingPair(false);
    readyPair(swept);
    swept.at = 16_000;
    const expiry = swept.redis(swept.timer("sweep"), "ok", "fixed:expire_due");
    swept.requeue("a", FixedText.noServer, expiry);
    swept.requeue("b", FixedText.noServer, expiry);
    settle(swept);
    expect(swept.invariants()).toContain("prompt-answers");

    const prompt = loadingPair(false);
    const rollback = prompt.redis(readyPair(prompt), "ok", "fixed:rollback");
    prompt.requeue("a", FixedText.noServer, rollback);
    prompt.requeue("b", FixedText.noServer, rollback);
    settle(prompt);
    expect(prompt.invariants()).toEqual([]);
  });

  it("counts a ready from a connection already taken over as nothing: the ready sent again on the new one makes the group ready", () => {
    // b is ready at 0.5 s. a's network drops; it reconnects and its enqueue takes its place over at 1 s. The ready
    // a sent on its old connection arrives at `staleAt`; told start_loading again on the new connection, a confirms
    // there at 9 s, and the server allocates at once.
    const answered = (staleAt: number) => {
      const tape = loadingPair(true);
      tape.at = 500;
      tape.redis(tape.ready("b", S1));
      const old = tape.player("a").connection as TapeConnection;
      const stale = () => {
        tape.at = staleAt;
        tape.redis(tape.ready("a", S1, old));
      };
      if (staleAt < 1_000) stale();
      tape.at = 1_000;
      tape.reconnect("a", "i1");
      const takeover = tape.redis(tape.enqueue("a"), "ok", "fixed:enqueue");
      if (staleAt >= 1_000) stale();
      tape.at = 3_000;
      tape.tell("a", { type: "start_loading", loading_session_id: S1 }, takeover);
      tape.at = 9_000;
      const claim = tape.redis(tape.redis(tape.ready("a", S1)), "ok", "fixed:claim_server");
      tape.view = view((v) => server(v, "ds1", "busy"));
      const commit = tape.redis(tape.httpExchange(claim), "ok", "fixed:commit");
      tape.tell("a", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
      tape.tell("b", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
      tape.at = 90_000;
      tape.end();
      // The game's server is not modelled here; every other invariant is asked (ready-from-owner among them).
      return tape.invariants().filter((name) => name !== "announced-games");
    };
    // Reached Redis after the takeover: the server rightly ignored it.
    expect(answered(2_000)).toEqual([]);
    // Reached Redis before it: the group was ready at 0.8 s and waited 8 s for nothing.
    expect(answered(800)).toEqual(["prompt-answers", "prompt-answers"]);
  });

  it("fires for an answer a fault delayed past the allocation deadline and a sweep, not for one within them", () => {
    for (const [answerAt, fires] of [[25_000, false], [45_000, true]] as const) {
      const tape = loadingPair(true);
      const claim = readyPair(tape);
      tape.at = answerAt;
      tape.view = view((v) => server(v, "ds1", "busy"));
      const commit = tape.redis(claim, "ok", "fixed:commit");
      tape.tell("a", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
      tape.tell("b", { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
      tape.at = 90_000;
      tape.view = view((v) => server(v, "ds1", "busy"));
      tape.end();
      expect(tape.invariants().includes("prompt-answers")).toBe(fires);
    }
  });

  it("takes the claimed server's replacement registering as the group's answer, and not any other work outside the members' frames", () => {
    for (const origin of ["server-return", "crash"] as const) {
      // ds1, claimed for the pair, died at 2 s; its replacement's fresh registration ends the allocation.
      const tape = loadingPair(true, { downServers: { ds1: 2_000 } });
      readyPair(tape);
      tape.at = 3_000;
      const fault =
        origin === "server-return"
          ? tape.event({ kind: "fault", fault: "server-return", target: "ds1", note: "", effect: "ds1 started again" })
          : tape.timer("presence");
      const registration = tape.redis(fault, "ok", "fixed:register_server", { writes: ["{mm}:server:ds1", "{mm}:session:S1"] });
      tape.requeue("a", FixedText.allocationFailed, registration);
      tape.requeue("b", FixedText.allocationFailed, registration);
      settle(tape);
      const prompt = tape.invariants().filter((name) => name === "prompt-answers");
      expect([origin, prompt]).toEqual([origin, origin === "server-return" ? [] : ["prompt-answers", "prompt-answers"]]);
    }
  });

  /** The create call of the pair's allocation fails (a garbled reply, or no reply within the request timeout). */
  function failedCreate(tape: Tape, how: "garbled" | "timed out"): number {
    const claim = readyPair(tape);
    if (how === "garbled") return tape.httpExchange(claim, { status: 200, fault: "malformed" });
    const request = tape.event({ kind: "http-request", instance: "i1", server: "ds1", address: "ds1.sim:7000", url: "http://ds1.sim:7000/session/create", body: "{}", outcome: "handled" }, claim);
    tape.at += config.allocationRequestTimeoutMs;
    return tape.event({ kind: "http-timeout", instance: "i1", url: "http://ds1.sim:7000/session/create", timeoutMs: config.allocationRequestTimeoutMs }, request);
  }

  it("fires for a group whose dedicated server failed and which the sweep answered instead of the allocation's own rollback", () => {
    for (const how of ["garbled", "timed out"] as const) {
      const swept = loadingPair(true);
      failedCreate(swept, how);
      swept.at = 1_000 + config.allocationTimeoutMs + 500;
      const expiry = swept.redis(swept.timer("sweep"), "ok", "fixed:expire_due");
      swept.requeue("a", FixedText.allocationFailed, expiry);
      swept.requeue("b", FixedText.allocationFailed, expiry);
      settle(swept);
      expect([how, swept.invariants()]).toEqual([how, ["prompt-answers", "prompt-answers"]]);
    }
  });

  it("stays quiet when the allocation rolled back at once, or its rollback could not reach Redis and the sweep answered", () => {
    for (const how of ["garbled", "timed out"] as const) {
      const prompt = loadingPair(true);
      const rollback = prompt.redis(failedCreate(prompt, how), "ok", "fixed:rollback");
      prompt.requeue("a", FixedText.allocationFailed, rollback);
      prompt.requeue("b", FixedText.allocationFailed, rollback);
      settle(prompt);
      expect([how, prompt.invariants()]).toEqual([how, []]);

      const cutOff = loadingPair(true);
      cutOff.redis(failedCreate(cutOff, how), "lost-before", "fixed:rollback");
      cutOff.at = 1_000 + config.allocationTimeoutMs + 500;
      const expiry = cutOff.redis(cutOff.timer("sweep"), "ok", "fixed:expire_due");
      cutOff.requeue("a", FixedText.allocationFailed, expiry);
      cutOff.requeue("b", FixedText.allocationFailed, expiry);
      settle(cutOff);
      expect([how, cutOff.invariants()]).toEqual([how, []]);
    }
  });

  it("takes the reaper ending the allocation while the create call met silence as the group's answer, not while the call was answered", () => {
    for (const outcome of ["silent", "handled"] as const) {
      // complete-vs-stale seed 299: ds1's host was cut off; its registration lapsed while the pair's create call
      // waited, and the sweep's reaper ended the allocation before the call timed out.
      const tape = loadingPair(true);
      const claim = readyPair(tape);
      tape.event({ kind: "http-request", instance: "i1", server: "ds1", address: "ds1.sim:7000", url: "http://ds1.sim:7000/session/create", body: "{}", outcome }, claim);
      tape.at += 750;
      const reap = tape.redis(tape.timer("sweep"), "ok", "fixed:reap_servers", { writes: ["{mm}:server:ds1", "{mm}:session:S1"] });
      tape.requeue("a", FixedText.allocationFailed, reap);
      tape.requeue("b", FixedText.allocationFailed, reap);
      settle(tape);
      const prompt = tape.invariants().filter((name) => name === "prompt-answers");
      expect([outcome, prompt]).toEqual([outcome, outcome === "silent" ? [] : ["prompt-answers", "prompt-answers"]]);
    }
  });

  /** a and b queued at 0 s; the tick takes them into S1 at `placedAt`; a timer's chain failed at `troubleAt`. */
  function waitForTick(placedAt: number, options: { troubleAt?: number; ownerLapsed?: boolean } = {}): string[] {
    const tape = new Tape(["a", "b"]);
    tape.view = view((v) => {
      queued(v, "a", "{mm}:queue:Normal_1v1");
      queued(v, "b", "{mm}:queue:Normal_1v1");
      v.ownerLiveUntil = new Map(options.ownerLapsed ? [["b", 0]] : [["a", 1e12], ["b", 1e12]]);
    });
    tape.event({ kind: "client", player: "a", action: "join" });
    for (let at = 1_000; at < placedAt; at += 1_000) {
      tape.at = at;
      if (options.troubleAt === at) tape.redis(tape.timer("tick:Normal_1v1"), "lost-before", "fixed:match");
      else tape.timer("heartbeat");
    }
    tape.at = placedAt;
    tape.view = view((v) => session(v, S1, ["a", "b"]));
    tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match");
    return tape.invariants();
  }

  it("fires for queued players whose turn came and who waited more than two match ticks for a session", () => {
    const bound = 2 * config.matchTickMs + 1_000;
    expect(waitForTick(bound - 1_000)).toEqual([]);
    expect(waitForTick(bound + 1_000)).toEqual(["prompt-answers", "prompt-answers"]);
  });

  it("stays quiet when a tick's command failed meanwhile, or one player's instance no longer counted as live", () => {
    const bound = 2 * config.matchTickMs + 1_000;
    expect(waitForTick(bound + 1_000, { troubleAt: 4_000 })).toEqual([]);
    expect(waitForTick(bound + 1_000, { ownerLapsed: true }).filter((name) => name === "prompt-answers")).toEqual([]);
  });
});

describe("queue-order", () => {
  const QUEUE = "{mm}:queue:Normal_1v1";

  /** Players enter the line one step apart, in the order given. */
  function line(ids: string[]): Tape {
    const tape = new Tape(ids);
    ids.forEach((_, index) => {
      tape.view = view((v) => {
        for (const id of ids.slice(0, index + 1)) queued(v, id, QUEUE);
        v.ownerLiveUntil = new Map(ids.map((id) => [id, 1e12]));
      });
      tape.event({ kind: "client", player: ids[index] as string, action: "join" });
    });
    return tape;
  }

  function take(tape: Tape, placed: string[], waiting: string[], lapsed: string[] = []): void {
    tape.view = view((v) => {
      session(v, S1, placed);
      for (const id of waiting) queued(v, id, QUEUE);
      v.ownerLiveUntil = new Map(waiting.map((id) => [id, lapsed.includes(id) ? 0 : 1e12]));
    });
    tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match");
  }

  it("fires when a later player is taken while an earlier one waits, and stays quiet in line order", () => {
    const unfair = line(["a", "b", "c"]);
    take(unfair, ["b", "c"], ["a"]);
    expect(unfair.invariants()).toEqual(["queue-order"]);
    const fair = line(["a", "b", "c"]);
    take(fair, ["a", "b"], ["c"]);
    expect(fair.invariants()).toEqual([]);
  });

  it("keeps a re-queued player's place: fires when it is passed over for later arrivals", () => {
    const tape = line(["a", "b", "c"]);
    take(tape, ["a", "b"], ["c"]);
    // S1 fails: a and b are back in line, with the places they had, ahead of c and of d who comes now.
    tape.view = view((v) => ["a", "b", "c", "d"].forEach((id) => queued(v, id, QUEUE)));
    tape.redis(tape.timer("sweep"), "ok", "fixed:expire_due");
    take(tape, ["c", "d"], ["a", "b"]);
    expect(tape.invariants()).toEqual(["queue-order", "queue-order"]);
  });

  it("lets a player whose record a foreign writer spoiled since it came lose its place", () => {
    const tape = line(["a", "b", "c"]);
    tape.foreignWrite(["{mm}:player:a"]);
    take(tape, ["b", "c"], ["a"]);
    expect(tape.invariants()).toEqual([]);
  });

  it("judges a server that pops players in one write and seats them in the next as taking them from that queue", () => {
    const tape = line(["a", "b", "c"]);
    // b and c popped (a waits), then their session written.
    tape.view = view((v) => queued(v, "a", QUEUE));
    tape.redis(tape.timer("tick:Normal_1v1"), "ok", "SPOP");
    take(tape, ["b", "c"], ["a"]);
    expect(tape.invariants()).toEqual(["queue-order"]);
  });

  it("takes no move a Redis rollback made for the server's (it restores whom it restores where), and judges the server's own moves after it", () => {
    // a, b and c in line; the snapshot a rollback restores has c in a session, and b and a queued.
    const tape = line(["a", "b", "c"]);
    tape.at = 8_000;
    tape.view = view((v) => {
      session(v, S1, ["c"]);
      queued(v, "a", QUEUE);
      queued(v, "b", QUEUE);
      v.ownerLiveUntil = new Map([["a", 1e12], ["b", 1e12]]);
    });
    tape.rollback(3_000);
    expect(tape.invariants()).toEqual([]);
    // A server that trusts what was restored then takes b before a, who came first: its own move, judged.
    tape.view = view((v) => {
      session(v, S1, ["c"]);
      session(v, "s2", ["b"]);
      queued(v, "a", QUEUE);
      v.ownerLiveUntil = new Map([["a", 1e12]]);
    });
    tape.redis(tape.timer("tick:Normal_1v1"), "ok", "fixed:match", { reads: [QUEUE] });
    expect(tape.invariants()).toEqual(["queue-order"]);
  });

  it("passes over a player whose instance no longer counts as live, and fires when one is taken", () => {
    const passed = line(["a", "b", "c"]);
    passed.at = 5_000;
    take(passed, ["b", "c"], ["a"], ["a"]);
    expect(passed.invariants()).toEqual([]);
    const doomed = line(["a", "b"]);
    doomed.at = 5_000;
    doomed.view = view((v) => {
      queued(v, "a", QUEUE);
      queued(v, "b", QUEUE);
      v.ownerLiveUntil = new Map([["a", 0], ["b", 1e12]]);
    });
    doomed.timer("presence");
    take(doomed, ["a", "b"], []);
    expect(doomed.invariants()).toEqual(["queue-order"]);
  });
});

describe("announced-games", () => {
  function told(address: string, game: string, members: string[], build: ConstructorParameters<typeof Tape>[1]): string[] {
    const tape = loadingPair(true, build);
    const claim = readyPair(tape);
    tape.view = view((v) => server(v, "ds1", "busy"));
    const commit = tape.redis(tape.httpExchange(claim), "ok", "fixed:commit");
    for (const id of members) tape.tell(id, { type: "match_found", session_id: game, server_address: address }, commit);
    return tape.invariants();
  }

  it("stays quiet for a match_found naming the game its server created for exactly the session's members", () => {
    expect(told(ADDRESS, GAME, ["a", "b"], { games: [{ session: GAME, players: ["b", "a"] }] })).toEqual([]);
  });

  it("fires for a game no server created, a wrong address, and a game created for other players", () => {
    const firing = (...args: Parameters<typeof told>) => told(...args).filter((name) => name === "announced-games");
    expect(firing(ADDRESS, GAME, ["a"], { games: [] })).toEqual(["announced-games"]);
    expect(firing("ws://ds2.sim:7000/game", GAME, ["a"], { games: [{ session: GAME, players: ["a", "b"] }] })).toEqual(["announced-games"]);
    expect(firing(ADDRESS, GAME, ["a"], { games: [{ session: GAME, players: ["a"] }] })).toEqual(["announced-games"]);
  });

  it("fires for a player told again of its game after Redis took its release, not while it runs, before the release lands, or once it died unannounced", () => {
    const cases = [
      [20_000, 20_000, 20_000],
      [40_000, 40_000, 40_000],
      [null, null, null],
      [20_000, null, null],
      [20_000, 20_000, 35_000],
    ] as const;
    for (const [endedAt, overAt, releasedAt] of cases) {
      const tape = loadingPair(true, { games: [{ session: GAME, players: ["a", "b"], endedAt, overAt, releasedAt }] });
      const claim = readyPair(tape);
      tape.view = view((v) => server(v, "ds1", "busy"));
      const commit = tape.redis(tape.httpExchange(claim), "ok", "fixed:commit");
      for (const id of ["a", "b"]) tape.tell(id, { type: "match_found", session_id: GAME, server_address: ADDRESS }, commit);
      tape.at = 30_000;
      const again = tape.redis(tape.event({ kind: "frame-in", connection: "c-a", instance: "i1", player: "a", text: "{}", dropped: false }), "ok", "fixed:enqueue");
      tape.tell("a", { type: "match_found", session_id: GAME, server_address: ADDRESS }, again);
      expect(tape.invariants().includes("announced-games"), `game ended at ${endedAt}, over at ${overAt}, released at ${releasedAt}`).toBe(releasedAt === 20_000);
    }
  });

  it("fires at the end for a game nobody heard of whose server stays busy, not once the server is released", () => {
    for (const status of ["busy", "idle"]) {
      const tape = new Tape(["a", "b"], { games: [{ session: GAME, players: ["a", "b"] }] });
      tape.view = view((v) => server(v, "ds1", status));
      tape.end();
      expect(tape.invariants().includes("announced-games")).toBe(status === "busy");
    }
  });
});
