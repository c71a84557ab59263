import { describe, expect, it } from "vitest";
import { FixedText } from "../../src/fixed/messages.ts";
import { boundsFor, Oracle } from "../../sim/oracle/oracle.ts";
import { Player } from "../../sim/players/player.ts";
import { Rng } from "../../sim/random/rng.ts";
import { KITS } from "../../sim/variants/index.ts";
import type { SimConnection } from "../../sim/world/sim-connection.ts";
import { config, oracleFor, player, queued, server, session, view, worldFacts } from "./fixtures.ts";
import { Tape, type TapeConnection } from "./tape.ts";

const closedConnection = (serverClosedAt: number | null) => ({
  clientOpen: false,
  serverClosedAt,
  clientSend: () => {},
  clientClose: () => {},
  clientDrop: () => {},
});

const invariantsOf = (oracle: ReturnType<typeof oracleFor>) => oracle.violations.map((violation) => violation.invariant);

describe("no-double-match", () => {
  it("fires when a player is queued and in a loading session at once", () => {
    const a = player("a", { state: "loading", session: "s1" });
    const oracle = oracleFor([a]);
    oracle.afterStep(7, 1_000, view((v) => (queued(v, "a"), session(v, "s1", ["a", "b"]))));
    expect(invariantsOf(oracle)).toEqual(["no-double-match"]);
    expect(oracle.violations[0]).toMatchObject({ step: 7, players: ["a"], keys: ["queue:Normal_1v1", "loading:s1"] });
  });

  it("fires when a player receives match_found for two sessions", () => {
    const a = player("a", { state: "matched", session: "g2", address: "ws://ds2.sim:7002/game" });
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7001/game", at: 1 }, { session: "g2", address: "ws://ds2.sim:7002/game", at: 2 });
    const oracle = oracleFor([a]);
    oracle.matchReceived(3, 2, a);
    expect(invariantsOf(oracle)).toEqual(["no-double-match"]);
  });

  it("stays quiet for a second game once a foreign writer spoiled the player's record (the server could not know of the first)", () => {
    const a = player("a", { state: "matched", session: "g2", address: "ws://ds2.sim:7002/game" });
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7001/game", at: 1 }, { session: "g2", address: "ws://ds2.sim:7002/game", at: 2 });
    const spoiled = new Tape(["a"]);
    spoiled.foreignWrite(["{mm}:player:a"]);
    spoiled.oracle.matchReceived(3, 2, a);
    expect(spoiled.invariants()).not.toContain("no-double-match");
    const clean = new Tape(["a"]);
    clean.timer();
    clean.oracle.matchReceived(3, 2, a);
    expect(clean.invariants()).toContain("no-double-match");
  });

  it("counts a game as a place while it runs: queued while its game runs fires, queued once the world says it ended does not", () => {
    const queuedAt = (at: number, endedAt: number | null) => {
      const a = player("a", { state: "matched", session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1" });
      a.matches.push({ session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1", at: 1_000 });
      const world = worldFacts({ games: [{ session: "g1", players: ["a"], createdAt: 500, endedAt }] });
      const oracle = new Oracle([a], config, boundsFor(config, 0), { world });
      oracle.afterStep(1, at, view((v) => queued(v, "a")));
      return invariantsOf(oracle);
    };
    expect(queuedAt(5_000, null)).toEqual(["no-double-match"]);
    expect(queuedAt(5_000, 6_000)).toEqual(["no-double-match"]);
    expect(queuedAt(5_000, 4_000)).toEqual([]);
  });

  it("does not count a running game as a place once a foreign writer spoiled the player's record; two queues still fire", () => {
    const tape = new Tape(["a"], { games: [{ session: "g1", players: ["a"], createdAt: 500, endedAt: null }] });
    const a = tape.player("a");
    a.view = { state: "matched", session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1" };
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1", at: 1_000 });
    tape.foreignWrite(["{mm}:player:a"]);
    tape.view = view((v) => queued(v, "a"));
    tape.timer();
    expect(tape.invariants()).not.toContain("no-double-match");
    tape.view = view((v) => {
      queued(v, "a");
      queued(v, "a", "queue:Duo_2v2");
    });
    tape.timer();
    expect(tape.invariants()).toContain("no-double-match");
  });

  it("counts games per request to play: a second game after the player asked to play again is its new game", () => {
    const a = player("a", { state: "matched", session: "g2", address: "ws://ds2.sim:7002/game" });
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7001/game", at: 1, round: 0 }, { session: "g2", address: "ws://ds2.sim:7002/game", at: 2, round: 1 });
    const again = oracleFor([a]);
    again.matchReceived(3, 2, a);
    expect(again.violations).toEqual([]);
    a.matches.push({ session: "g3", address: "ws://ds1.sim:7001/game", at: 3, round: 1 });
    again.matchReceived(4, 3, a);
    expect(invariantsOf(again)).toEqual(["no-double-match"]);
  });

  it("takes an enqueue that reached the server after the player's game ended as a request to play again, whatever the client meant", () => {
    // a, told of g1 at 1 s, game over at 5 s; an enqueue of a's (a copy sent before g1, held up) reaches the server at
    // `arrives`; a is told of g2 at 8 s without having asked to play again.
    const secondGame = (arrives: number | null, endedAt: number | null = 5_000) => {
      const tape = new Tape(["a"], { games: [{ session: "g1", players: ["a"], createdAt: 500, endedAt }] });
      const cause = tape.timer("tick");
      tape.at = 1_000;
      tape.tell("a", { type: "match_found", session_id: "g1", server_address: "ws://ds1.sim:7000/game" }, cause);
      if (arrives !== null) {
        tape.at = arrives;
        tape.enqueue("a");
      }
      tape.at = 8_000;
      tape.tell("a", { type: "match_found", session_id: "g2", server_address: "ws://ds2.sim:7000/game" }, tape.timer("tick"));
      tape.timer();
      // The games' servers are not modelled here: only this invariant is asked about.
      return tape.invariants().filter((name) => name === "no-double-match");
    };
    expect(secondGame(6_000)).toEqual([]);
    expect(secondGame(5_000)).toEqual([]);
    // Reached the server while g1 still ran: the server had its chance to answer that the player is in a game.
    expect(secondGame(4_000)).toEqual(["no-double-match"]);
    // No request at all, or g1 never ended.
    expect(secondGame(null)).toEqual(["no-double-match"]);
    expect(secondGame(6_000, null)).toEqual(["no-double-match"]);
  });

  it("takes an enqueue whose script reached Redis after the game as asking again, unless its connection was told of the game after the frame came and before the script left", () => {
    // g1, published to a's connection by a script at 1 s, ends at 5 s; an enqueue of a's reaches the server at
    // `arrives`; its script leaves at once, or (`retried`) is lost at 2 s and sent again then; it reaches Redis at
    // 6 s (the server queues it after the game), and a is told of g2 at 8 s.
    const secondGame = (arrives: number, retried = false) => {
      const tape = new Tape(["a"], { games: [{ session: "g1", players: ["a"], createdAt: 500, endedAt: 5_000 }] });
      const publish = () => {
        tape.at = 1_000;
        tape.tell("a", { type: "match_found", session_id: "g1", server_address: "ws://ds1.sim:7000/game" }, tape.redis(tape.timer("tick"), "ok", "fixed:commit"));
      };
      if (arrives > 1_000) publish();
      tape.at = arrives;
      let cause = tape.enqueue("a");
      if (arrives <= 1_000) publish();
      if (retried) {
        tape.at = 2_000;
        cause = tape.redis(cause, "lost-before", "fixed:enqueue");
      }
      tape.at = 6_000;
      tape.redis(cause, "ok", "fixed:enqueue");
      tape.at = 8_000;
      tape.tell("a", { type: "match_found", session_id: "g2", server_address: "ws://ds2.sim:7000/game" }, tape.timer("tick"));
      tape.timer();
      return tape.invariants().filter((name) => name === "no-double-match");
    };
    // The server had told the connection of g1 when the frame came: to it, a request from a client that knew of g1.
    expect(secondGame(2_000)).toEqual([]);
    // The frame came first and its script left at once, before the connection was told: nothing could tell it.
    expect(secondGame(500)).toEqual([]);
    // Its script left again once the connection had been told: a copy of the request g1 answered, which a server can tell.
    expect(secondGame(500, true)).toEqual(["no-double-match"]);
  });

  it("counts only an enqueue that came before the second game was told, and one of the player's own", () => {
    const tape = new Tape(["a", "b"], { games: [{ session: "g1", players: ["a"], createdAt: 500, endedAt: 5_000 }] });
    tape.at = 1_000;
    tape.tell("a", { type: "match_found", session_id: "g1", server_address: "ws://ds1.sim:7000/game" }, tape.timer("tick"));
    tape.at = 6_000;
    tape.enqueue("b");
    tape.at = 8_000;
    tape.tell("a", { type: "match_found", session_id: "g2", server_address: "ws://ds2.sim:7000/game" }, tape.timer("tick"));
    tape.at = 9_000;
    tape.enqueue("a");
    tape.timer();
    expect(tape.invariants().filter((name) => name === "no-double-match")).toEqual(["no-double-match"]);
  });

  it("does not judge what a Redis rollback restored before a server's command touched it; what that command leaves is judged", () => {
    // a queued at 2 s, in a game since 5 s; Redis goes back at 8 s to its snapshot of 3 s, which has a queued.
    const rolledBack = (wipes: boolean) => {
      const tape = new Tape(["a"], { games: [{ session: "g1", players: ["a"], createdAt: 5_000, endedAt: null }] });
      const a = tape.player("a");
      a.view = { state: "matched", session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1" };
      a.matches.push({ session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1", at: 5_000 });
      tape.at = 8_000;
      tape.view = view((v) => queued(v, "a"));
      tape.rollback(3_000);
      // Clients reconnect; a subscription and a publish touch no key.
      tape.at = 8_500;
      tape.event({ kind: "redis", client: "i1", command: "PUBLISH", script: null, keys: [], args: [], outcome: "ok", reply: 1, error: null, reads: [], writes: [], readsAll: false });
      const quietUntilTouched = tape.invariants();
      // The server's first script: the fixed server's wipes the slot; a server that trusts the restored keys keeps a queued.
      if (wipes) tape.view = view(() => {});
      tape.redis(tape.timer("presence"), "ok", "fixed:register_instance", { reads: ["{mm}:epoch"], writes: ["{mm}:instances"] });
      return [quietUntilTouched, tape.invariants()];
    };
    expect(rolledBack(true)).toEqual([[], []]);
    expect(rolledBack(false)).toEqual([[], ["no-double-match"]]);
  });

  it("stays quiet for one place per player", () => {
    const oracle = oracleFor([player("a", { state: "queued" }), player("b", { state: "loading", session: "s1" })]);
    oracle.afterStep(1, 1, view((v) => (queued(v, "a"), session(v, "s1", ["b", "c"]))));
    expect(oracle.violations).toEqual([]);
  });
});

describe("no-lost-player", () => {
  it("leaves a player alone whose newest enqueue came on a connection its client left open and no longer listens on", () => {
    // a opened a second connection and was told its game there; a late enqueue from its first connection, still
    // open, reached Redis last and queued it there. `firstOpen`: whether the client still holds that connection.
    const heldWhere = (firstOpen: boolean) => {
      const tape = new Tape(["a"]);
      const first = tape.player("a").connection as TapeConnection;
      tape.reconnect("a", "i1");
      tape.redis(tape.enqueue("a"), "ok", "fixed:enqueue");
      tape.tell("a", { type: "match_found", session_id: "g1", server_address: "ws://ds1.sim:7000/game" }, tape.timer("tick"));
      tape.at = 2_000;
      tape.redis(tape.enqueue("a", first), "ok", "fixed:enqueue");
      first.clientOpen = firstOpen;
      tape.view = view((v) => queued(v, "a"));
      tape.timer();
      tape.end();
      return tape.invariants().filter((name) => name === "no-lost-player");
    };
    expect(heldWhere(true)).toEqual([]);
    expect(heldWhere(false)).toEqual(["no-lost-player"]);
  });

  it("fires for a disconnected player left in a queue", () => {
    const oracle = oracleFor([player("a", { state: "idle" }, { connected: false })]);
    oracle.atEnd(9, 1, view((v) => queued(v, "a")));
    expect(invariantsOf(oracle)).toEqual(["no-lost-player"]);
  });

  it("fires for a client that believes it is queued but is nowhere", () => {
    const oracle = oracleFor([player("a", { state: "queued" })]);
    oracle.atEnd(9, 1, view(() => {}));
    expect(invariantsOf(oracle)).toEqual(["no-lost-player"]);
  });

  it("fires for a client still waiting for an answer to enqueue", () => {
    const oracle = oracleFor([player("a", { state: "awaiting" })]);
    oracle.atEnd(9, 1, view(() => {}));
    expect(invariantsOf(oracle)).toEqual(["no-lost-player"]);
  });

  it("stays quiet when every view agrees with the records", () => {
    const oracle = oracleFor([
      player("a", { state: "queued" }, { behaviour: "never-loads" }),
      player("b", { state: "idle" }, { connected: false }),
      player("c", { state: "matched", session: "g", address: "ws://ds1.sim:7000/game" }),
    ]);
    oracle.atEnd(9, 1, view((v) => queued(v, "a")));
    expect(oracle.violations).toEqual([]);
  });
});

describe("no-orphaned-session", () => {
  it("fires for a session that outlives its deadline by more than a sweep and a grace", () => {
    const oracle = oracleFor([player("a", { state: "loading", session: "s1" }), player("b", { state: "loading", session: "s1" })]);
    const live = view((v) => session(v, "s1", ["a", "b"]));
    oracle.afterStep(1, 0, live);
    oracle.afterStep(2, config.loadingTimeoutMs, live);
    expect(oracle.violations).toEqual([]);
    oracle.afterStep(3, 10 * 60_000, live);
    expect(invariantsOf(oracle)).toEqual(["no-orphaned-session"]);
  });

  it("fires for a session none of whose members is connected", () => {
    const oracle = oracleFor([player("a", { state: "idle" }, { connected: false, behaviour: "never-loads" })]);
    oracle.atEnd(1, 0, view((v) => session(v, "s1", ["a"])));
    expect(invariantsOf(oracle)).toContain("no-orphaned-session");
  });

  it("fires for a busy server nobody was told about, and for a lock without expiry", () => {
    const oracle = oracleFor([]);
    oracle.atEnd(1, 0, view((v) => {
      server(v, "ds1", "busy");
      v.locks.push({ key: "lock:match:Normal_1v1", pttl: -1 });
    }));
    expect(invariantsOf(oracle)).toEqual(["no-orphaned-session", "no-orphaned-session"]);
  });

  it("excuses a busy server whose players all left after it was allocated, unknown to the server", () => {
    const gone = (id: string, heard: number | null) => {
      const made = player(id, { state: "idle" }, { connected: false });
      made.connection = { ...closedConnection(heard) };
      return made;
    };
    const world = worldFacts({ games: [{ session: "g1", players: ["a", "b"], createdAt: 18_000 }] });
    const late = new Oracle([gone("a", 19_000), gone("b", null)], config, boundsFor(config, 0), { world });
    late.atEnd(1, 30_000, view((v) => server(v, "ds1", "busy")));
    expect(late.violations).toEqual([]);
    const known = new Oracle([gone("a", 12_000), gone("b", 19_000)], config, boundsFor(config, 0), { world });
    known.atEnd(1, 30_000, view((v) => server(v, "ds1", "busy")));
    expect(known.violations.map((violation) => violation.invariant)).toEqual(["no-orphaned-session"]);
  });

  it("excuses a busy server whose players left after sending loading_complete, not one who left before it", () => {
    const gone = (id: string, readyAt: number | null, heard: number) => {
      const made = player(id, { state: "idle" }, { connected: false });
      made.connection = { ...closedConnection(heard) };
      made.episodes.push({ session: "s1", connection: null, startedAt: 5_000, readyDeliveredAt: readyAt, disconnectedAt: heard, outcome: null });
      return made;
    };
    const world = worldFacts({ games: [{ session: "g1", players: ["a", "b"], createdAt: 18_000 }] });
    // Both ready by 10.5 s and gone at 11 s and 12 s, before the game existed: allocating was still right.
    const afterReady = new Oracle([gone("a", 10_000, 11_000), gone("b", 10_500, 12_000)], config, boundsFor(config, 0), { world });
    afterReady.atEnd(1, 30_000, view((v) => server(v, "ds1", "busy")));
    expect(afterReady.violations).toEqual([]);
    // a left at 10.2 s without ever sending loading_complete: the game should not have been made for it.
    const neverReady = new Oracle([gone("a", null, 10_200), gone("b", 10_500, 12_000)], config, boundsFor(config, 0), { world });
    neverReady.atEnd(1, 30_000, view((v) => server(v, "ds1", "busy")));
    expect(neverReady.violations.map((violation) => violation.invariant)).toEqual(["no-orphaned-session"]);
  });

  it("stays quiet for a busy server whose game was announced and an expiring lock", () => {
    const a = player("a", { state: "matched", session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1" });
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7000/game?session_id=g1", at: 1 });
    const oracle = oracleFor([a]);
    oracle.matchReceived(1, 1, a);
    oracle.atEnd(2, 2, view((v) => {
      server(v, "ds1", "busy");
      v.locks.push({ key: "lock:match:Normal_1v1", pttl: 5_000 });
    }));
    expect(oracle.violations).toEqual([]);
  });
});

describe("ready-respected", () => {
  function readyPair(outcomeKind: "timed-out" | "matched" | null) {
    const a = player("a", { state: "loading", session: "s1" });
    const b = player("b", { state: "idle" }, { connected: false });
    a.episodes.push({
      session: "s1",
      connection: null,
      startedAt: 0,
      readyDeliveredAt: 2_000,
      disconnectedAt: null,
      outcome: outcomeKind ? { at: 70_000, kind: outcomeKind, text: outcomeKind } : null,
    });
    // b quit with a close the server received at once: the server knew, and owed a a prompt answer.
    b.episodes.push({ session: "s1", connection: closedConnection(1_000), startedAt: 0, readyDeliveredAt: null, disconnectedAt: 1_000, outcome: null });
    const oracle = oracleFor([a, b]);
    oracle.afterStep(1, 0, view((v) => session(v, "s1", ["a", "b"])));
    if (outcomeKind === "matched") a.view = { state: "matched", session: "g1", address: "ws://ds1.sim:7001/game" };
    if (outcomeKind === "timed-out") a.view = { state: "queued" };
    return Object.assign(oracle, { members: { a, b } });
  }

  it("fires when the only connected member was ready in time and got a timeout", () => {
    const oracle = readyPair("timed-out");
    oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
    expect(invariantsOf(oracle)).toEqual(["ready-respected"]);
  });

  it("stays quiet when the other member vanished without the server hearing of it (its instance died)", () => {
    const oracle = readyPair("timed-out");
    oracle.members.b.episodes[0]!.connection = closedConnection(null);
    oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
    expect(oracle.violations).toEqual([]);
  });

  it("fires when a ready member hears nothing at all", () => {
    const oracle = readyPair(null);
    oracle.atEnd(5, 80_000, view(() => {}));
    expect(invariantsOf(oracle)).toContain("ready-respected");
  });

  it("fires when a member is told of a timeout well before the session's deadline (a clock running ahead)", () => {
    const a = player("a", { state: "loading", session: "s1" });
    a.episodes.push({ session: "s1", connection: null, startedAt: 0, readyDeliveredAt: null, disconnectedAt: null, outcome: null });
    const oracle = oracleFor([a]);
    oracle.afterStep(1, 0, view((v) => session(v, "s1", ["a", "b"])));
    a.episodes[0]!.outcome = { at: config.loadingTimeoutMs - 20_000, kind: "timed-out", text: "timed out" };
    a.view = { state: "queued" };
    oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
    expect(invariantsOf(oracle)).toEqual(["ready-respected"]);
    expect(oracle.violations[0]?.message).toContain("20.0 s before its deadline");
  });

  it("fires when a member not ready yet is told of a timeout before the deadline in fixed's words, which re-queue no one", () => {
    const judged = (at: number) => {
      const a = new Player("a", "Normal_1v1", "normal", { now: () => at, connect: () => null, act: () => {} }, new Rng("a"));
      const connection = { clientOpen: true } as SimConnection;
      a.connection = connection;
      a.view = { state: "loading", session: "s1" };
      a.episodes.push({ session: "s1", connection, startedAt: 0, readyDeliveredAt: null, disconnectedAt: null, outcome: null });
      const oracle = new Oracle([a], config, boundsFor(config, 0), { earlyTimeoutToleranceMs: 0, reasons: KITS.fixed.requeueReason });
      oracle.afterStep(1, 0, view((v) => session(v, "s1", ["a", "b"])));
      a.received(connection, JSON.stringify({ type: "error", message: FixedText.loadingTimedOut }));
      oracle.atEnd(5, 80_000, view(() => {}));
      return { invariants: invariantsOf(oracle), outcome: a.episodes[0]!.outcome?.kind };
    };
    expect(judged(config.loadingTimeoutMs - 1_000)).toEqual({ invariants: ["ready-respected"], outcome: "refused" });
    expect(judged(config.loadingTimeoutMs)).toEqual({ invariants: [], outcome: "refused" });
  });

  it("holds a server with deadlines to the millisecond to them: a timeout one second early fires, one at the deadline does not", () => {
    const judged = (at: number) => {
      const a = player("a", { state: "loading", session: "s1" });
      a.episodes.push({ session: "s1", connection: null, startedAt: 0, readyDeliveredAt: null, disconnectedAt: null, outcome: null });
      const oracle = new Oracle([a], config, boundsFor(config, 0), { earlyTimeoutToleranceMs: 0 });
      oracle.afterStep(1, 0, view((v) => session(v, "s1", ["a", "b"])));
      a.episodes[0]!.outcome = { at, kind: "timed-out", text: "timed out" };
      a.view = { state: "queued" };
      oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
      return invariantsOf(oracle);
    };
    expect(judged(config.loadingTimeoutMs - 1_000)).toEqual(["ready-respected"]);
    expect(judged(config.loadingTimeoutMs)).toEqual([]);
  });

  it("judges a session's deadline in Redis time: a step of Redis's clock moves it, and a timeout before even the moved one fires", () => {
    // The session is made at 1 s; Redis's clock steps forward 3 s at 20 s, so its deadline falls due 3 s early.
    const judged = (at: number, byMs: number) => {
      const a = player("a", { state: "loading", session: "s1" });
      a.episodes.push({ session: "s1", connection: null, startedAt: 0, readyDeliveredAt: null, disconnectedAt: null, outcome: null });
      const world = worldFacts({ redisClockJumps: [{ at: 20_000, byMs }] });
      const oracle = new Oracle([a], config, boundsFor(config, 0), { earlyTimeoutToleranceMs: 0, world });
      oracle.afterStep(1, 1_000, view((v) => session(v, "s1", ["a", "b"])));
      a.episodes[0]!.outcome = { at, kind: "timed-out", text: "timed out" };
      a.view = { state: "queued" };
      oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
      return invariantsOf(oracle);
    };
    expect(judged(1_000 + config.loadingTimeoutMs - 3_000, 3_000)).toEqual([]);
    expect(judged(1_000 + config.loadingTimeoutMs - 3_001, 3_000)).toEqual(["ready-respected"]);
    expect(judged(1_000 + config.loadingTimeoutMs - 3_000, -3_000)).toEqual(["ready-respected"]);
    expect(judged(1_000 + config.loadingTimeoutMs + 3_000, -3_000)).toEqual([]);
  });

  it("judges a real run's early timeout from the snapshot before the session was first seen: it was made in between", () => {
    const judged = (at: number) => {
      const a = player("a", { state: "loading", session: "s1" });
      a.episodes.push({ session: "s1", connection: null, startedAt: 0, readyDeliveredAt: null, disconnectedAt: null, outcome: null });
      const oracle = new Oracle([a], config, boundsFor(config, 0), { earlyTimeoutToleranceMs: 0 });
      oracle.afterStep(1, 1_000, view(() => {}));
      oracle.afterStep(2, 3_000, view((v) => session(v, "s1", ["a", "b"])));
      a.episodes[0]!.outcome = { at, kind: "timed-out", text: "timed out" };
      a.view = { state: "queued" };
      oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
      return invariantsOf(oracle);
    };
    expect(judged(1_000 + config.loadingTimeoutMs - 1)).toEqual(["ready-respected"]);
    expect(judged(1_000 + config.loadingTimeoutMs)).toEqual([]);
  });

  it("judges ready-respected by the members present at the deadline, counting one who left after it", () => {
    const judge = (lateLeft: number, lateReady: number | null, earlyOutcome: "timed-out" | "matched" = "timed-out") => {
      const late = player("late", { state: "idle" }, { connected: false });
      late.connection = { ...closedConnection(lateLeft) };
      late.episodes.push({ session: "s1", connection: closedConnection(lateLeft), startedAt: 5_000, readyDeliveredAt: lateReady, disconnectedAt: lateLeft, outcome: null });
      const early = player("early", { state: "queued" });
      early.episodes.push({ session: "s1", connection: null, startedAt: 5_000, readyDeliveredAt: 8_000, disconnectedAt: null, outcome: null });
      const oracle = oracleFor([late, early]);
      oracle.afterStep(1, 5_000, view((v) => session(v, "s1", ["late", "early"])));
      early.episodes[0]!.outcome = { at: 65_000, kind: earlyOutcome, text: earlyOutcome === "matched" ? "match_found" : "Matchmaking timed out." };
      oracle.atEnd(2, 90_000, view((v) => queued(v, "early")));
      return invariantsOf(oracle);
    };
    // late was still there at the 65 s deadline and its ready only came at 67 s: the timeout was right.
    expect(judge(68_000, 67_000)).not.toContain("ready-respected");
    // late left at 30 s, heard by the server: early, ready at 8 s, was the only member left and timed out.
    expect(judge(30_000, null)).toContain("ready-respected");
    // Both ready in time; late's connection closed after the deadline, before it heard an answer: early was
    // matched, and late is judged by no answer on a connection that is gone (it hears it on its next one).
    expect(judge(66_000, 9_000, "matched")).not.toContain("ready-respected");
    expect(judge(66_000, 9_000, "timed-out")).toContain("ready-respected");
  });

  it("stays quiet for a timeout at the deadline", () => {
    const a = player("a", { state: "loading", session: "s1" });
    a.episodes.push({ session: "s1", connection: null, startedAt: 0, readyDeliveredAt: null, disconnectedAt: null, outcome: null });
    const oracle = oracleFor([a]);
    oracle.afterStep(1, 0, view((v) => session(v, "s1", ["a", "b"])));
    a.episodes[0]!.outcome = { at: config.loadingTimeoutMs - 900, kind: "timed-out", text: "timed out" };
    a.view = { state: "queued" };
    oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
    expect(oracle.violations).toEqual([]);
  });

  it("stays quiet for a session still in flight when the run ends, within its lifetime", () => {
    const oracle = readyPair(null);
    oracle.atEnd(5, 30_000, view((v) => session(v, "s1", ["a", "b"])));
    expect(oracle.violations.map((violation) => violation.invariant)).not.toContain("ready-respected");
  });

  it("stays quiet when the ready member was matched", () => {
    const oracle = readyPair("matched");
    oracle.atEnd(5, 80_000, view(() => {}));
    expect(oracle.violations).toEqual([]);
  });
});

describe("ready-respected follows a player who resumed its session on a new connection", () => {
  function resumed(readyAgain: boolean) {
    const a = player("a", { state: "loading", session: "s1" });
    const b = player("b", { state: "loading", session: "s1" });
    a.episodes.push({ session: "s1", connection: null, startedAt: 0, readyDeliveredAt: 1_000, disconnectedAt: null, outcome: null });
    b.episodes.push({ session: "s1", connection: closedConnection(5_000), startedAt: 0, readyDeliveredAt: null, disconnectedAt: 5_000, outcome: null });
    b.episodes.push({ session: "s1", connection: null, startedAt: 6_000, readyDeliveredAt: readyAgain ? 7_000 : null, disconnectedAt: null, outcome: null });
    const oracle = oracleFor([a, b]);
    oracle.afterStep(1, 0, view((v) => session(v, "s1", ["a", "b"])));
    a.episodes[0]!.outcome = { at: 65_000, kind: "timed-out", text: "timed out" };
    b.episodes[1]!.outcome = { at: 65_000, kind: "refused", text: "Loading timed out. Enqueue again to play." };
    a.view = { state: "queued" };
    b.view = { state: "idle" };
    return oracle;
  }

  it("stays quiet when the resumed member had not loaded by the deadline", () => {
    const oracle = resumed(false);
    oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
    expect(oracle.violations).toEqual([]);
  });

  it("fires when the resumed member was ready in time too", () => {
    const oracle = resumed(true);
    oracle.atEnd(5, 80_000, view((v) => queued(v, "a")));
    expect(invariantsOf(oracle)).toEqual(["ready-respected", "ready-respected"]);
  });
});

describe("single-allocation", () => {
  it("fires when one server is announced for two game sessions", () => {
    const a = player("a", { state: "matched", session: "g1", address: "ws://ds1.sim:7001/game?session_id=g1" });
    const b = player("b", { state: "matched", session: "g2", address: "ws://ds1.sim:7001/game?session_id=g2" });
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7001/game?session_id=g1", at: 1 });
    b.matches.push({ session: "g2", address: "ws://ds1.sim:7001/game?session_id=g2", at: 2 });
    const oracle = oracleFor([a, b]);
    oracle.matchReceived(1, 1, a);
    expect(oracle.violations).toEqual([]);
    oracle.matchReceived(2, 2, b);
    expect(invariantsOf(oracle)).toEqual(["single-allocation"]);
    expect(oracle.violations[0]?.players).toEqual(["a", "b"]);
  });

  it("stays quiet when two sessions go to two servers", () => {
    const a = player("a", { state: "matched", session: "g1", address: "ws://ds1.sim:7001/game" });
    const b = player("b", { state: "matched", session: "g2", address: "ws://ds2.sim:7002/game" });
    a.matches.push({ session: "g1", address: "ws://ds1.sim:7001/game", at: 1 });
    b.matches.push({ session: "g2", address: "ws://ds2.sim:7002/game", at: 2 });
    const oracle = oracleFor([a, b]);
    oracle.matchReceived(1, 1, a);
    oracle.matchReceived(2, 2, b);
    expect(oracle.violations).toEqual([]);
  });

  it("stays quiet for a second game after the first one's server process died with it, and fires while it lives", () => {
    const at7001 = { address: "ds1.sim:7001", gameAddress: "ws://ds1.sim:7001/game" };
    const pair = () => {
      const a = player("a", { state: "matched", session: "g1", address: "ws://ds1.sim:7001/game" });
      const b = player("b", { state: "matched", session: "g2", address: "ws://ds1.sim:7001/game" });
      a.matches.push({ session: "g1", address: "ws://ds1.sim:7001/game", at: 1 });
      b.matches.push({ session: "g2", address: "ws://ds1.sim:7001/game", at: 2 });
      return [a, b] as const;
    };
    const [a, b] = pair();
    const died = new Oracle([a, b], config, boundsFor(config, 0), {
      world: worldFacts({ games: [{ session: "g1", players: ["a"], endedAt: 0, ...at7001 }, { session: "g2", players: ["b"], createdAt: 1, ...at7001 }] }),
    });
    died.matchReceived(1, 1, a);
    died.matchReceived(2, 2, b);
    expect(died.violations).toEqual([]);
    // The dead game's news reaching its player only after the second game began (its instance was paused).
    const [late, second] = pair();
    const held = new Oracle([late, second], config, boundsFor(config, 0), {
      world: worldFacts({ games: [{ session: "g1", players: ["a"], endedAt: 0, ...at7001 }, { session: "g2", players: ["b"], createdAt: 1, ...at7001 }] }),
    });
    held.matchReceived(1, 2, second);
    held.matchReceived(2, 20, late);
    expect(held.violations).toEqual([]);
    const [c, d] = pair();
    const alive = new Oracle([c, d], config, boundsFor(config, 0), {
      world: worldFacts({ games: [{ session: "g1", players: ["c"], ...at7001 }, { session: "g2", players: ["d"], createdAt: 1, ...at7001 }] }),
    });
    alive.matchReceived(1, 1, c);
    alive.matchReceived(2, 2, d);
    // A world where one server created both games at once breaks announced-games too; single-allocation is the point.
    expect(invariantsOf(alive)).toContain("single-allocation");
  });
});

describe("no-crash", () => {
  it("fires when a handler lets an error escape", () => {
    const oracle = oracleFor([]);
    oracle.escaped(4, 10, "i1", "TryMatch", new Error("invalid uuid"));
    expect(invariantsOf(oracle)).toEqual(["no-crash"]);
    expect(oracle.violations[0]?.message).toContain("TryMatch on i1");
  });

  it("stays quiet in a run where nothing escapes", () => {
    const oracle = oracleFor([player("a", { state: "queued" })]);
    oracle.atEnd(1, 1, view((v) => queued(v, "a")));
    expect(oracle.violations).toEqual([]);
  });
});

describe("eventual-match", () => {
  it("fires when two willing players wait while a server is idle", () => {
    const oracle = oracleFor([player("a", { state: "queued" }), player("b", { state: "queued" })]);
    oracle.atEnd(1, 1, view((v) => (queued(v, "a"), queued(v, "b"), server(v, "ds1", "idle"))));
    expect(invariantsOf(oracle)).toEqual(["eventual-match"]);
  });

  it("stays quiet when no server is idle, or one willing player is alone", () => {
    const busy = oracleFor([player("a", { state: "queued" }), player("b", { state: "queued" })]);
    busy.atEnd(1, 1, view((v) => (queued(v, "a"), queued(v, "b"))));
    expect(busy.violations).toEqual([]);
    const alone = oracleFor([player("a", { state: "queued" }), player("n", { state: "queued" }, { behaviour: "never-loads" })]);
    alone.atEnd(1, 1, view((v) => (queued(v, "a"), queued(v, "n"), server(v, "ds1", "idle"))));
    expect(alone.violations).toEqual([]);
  });

  it("counts the servers that are up and free by the world's account where it has one, whatever Redis lists", () => {
    const waiting = () => [player("a", { state: "queued" }), player("b", { state: "queued" })];
    const unlisted = new Oracle(waiting(), config, boundsFor(config, 0), { world: worldFacts({ freeServers: 1 }) });
    unlisted.atEnd(1, 1, view((v) => (queued(v, "a"), queued(v, "b"))));
    expect(invariantsOf(unlisted)).toEqual(["eventual-match"]);
    expect(unlisted.violations[0]?.message).toMatch(/1 dedicated server\(s\) are up and free/);
    const dead = new Oracle(waiting(), config, boundsFor(config, 0), { world: worldFacts({ freeServers: 0 }) });
    dead.atEnd(1, 1, view((v) => (queued(v, "a"), queued(v, "b"), server(v, "ds1", "idle"))));
    expect(dead.violations).toEqual([]);
  });
});

describe("session-size", () => {
  const sized = (members: string[], mode?: string) =>
    view((v) => v.sessions.set("s1", { id: "s1", key: "loading:s1", status: "loading", members, ready: [], ...(mode === undefined ? {} : { mode }) }));

  it("fires for a session opened with fewer or more players than its mode requires", () => {
    for (const members of [["a"], ["a", "b", "c"]]) {
      const oracle = oracleFor([]);
      oracle.afterStep(1, 1, sized(members, "Normal_1v1"));
      expect(invariantsOf(oracle)).toEqual(["session-size"]);
    }
  });

  it("stays quiet for a session of its mode's size, one whose record names no mode, and one that shrinks as members leave", () => {
    const oracle = oracleFor([]);
    oracle.afterStep(1, 1, sized(["a", "b"], "Normal_1v1"));
    oracle.afterStep(2, 2, sized(["a"], "Normal_1v1"));
    oracle.afterStep(3, 3, view((v) => v.sessions.set("s2", { id: "s2", key: "loading:s2", status: "loading", members: ["c"], ready: [] })));
    expect(oracle.violations).toEqual([]);
  });
});

describe("servers-released", () => {
  /** ds1 hosted game g1, which ended at 5 s; judged at `at` with ds1's record `status` (other invariants aside). */
  function judged(status: string, at: number, build: Parameters<typeof worldFacts>[0] = {}): string[] {
    const world = worldFacts({ games: [{ session: "g1", players: ["a", "b"], endedAt: 5_000 }], ...build });
    const oracle = new Oracle([], config, boundsFor(config, 0), { world });
    oracle.atEnd(1, at, view((v) => server(v, "ds1", status)));
    return invariantsOf(oracle).filter((name) => name === "servers-released");
  }

  it("fires for a server left busy well after its last game ended while its process is up", () => {
    expect(judged("busy", 30_000)).toEqual(["servers-released"]);
  });

  it("stays quiet for a released server, a game that ended moments ago, one still running, and a server that is down", () => {
    expect(judged("idle", 30_000)).toEqual([]);
    expect(judged("busy", 9_000)).toEqual([]);
    expect(judged("busy", 30_000, { games: [{ session: "g1", players: ["a", "b"] }] })).toEqual([]);
    expect(judged("busy", 30_000, { downServers: { ds1: 20_000 } })).toEqual([]);
  });
});

describe("dead-servers-reaped", () => {
  /** ds1 died at 10 s; the sweep last ran at `sweptAt`; judged at `at`, with ds1 still listed when `listed`. */
  function judged(at: number, listed: boolean, downServers: Record<string, number> = { ds1: 10_000 }, sweptAt = at): string[] {
    const oracle = new Oracle([], config, boundsFor(config, 0), { world: worldFacts({ downServers }) });
    const listing = view((v) => (listed ? server(v, "ds1", "idle") : undefined));
    oracle.afterStep(0, sweptAt, listing, { id: 0, cause: null, event: { kind: "timer", owner: "i1", timer: "sweep" } });
    oracle.atEnd(1, at, listing);
    return invariantsOf(oracle);
  }
  const bound = 10_000 + 45_000 + 2 * config.matchTickMs + 5_000;

  it("fires for a server still listed well after its process died and its registration lapsed", () => {
    expect(judged(bound + 1_000, true)).toEqual(["dead-servers-reaped"]);
  });

  it("stays quiet before the registration lapsed and a sweep could run, once it is gone, for a server that is up, and once nothing sweeps", () => {
    expect(judged(bound - 1_000, true)).toEqual([]);
    expect(judged(bound + 1_000, false)).toEqual([]);
    expect(judged(bound + 1_000, true, {})).toEqual([]);
    // The match servers stopped before the registration could lapse and be reaped: nothing swept after.
    expect(judged(bound + 60_000, true, { ds1: 10_000 }, bound - 1_000)).toEqual([]);
  });
});
