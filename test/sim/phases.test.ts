import { describe, expect, it } from "vitest";
import { Player } from "../../sim/players/player.ts";
import { Rng } from "../../sim/random/rng.ts";
import { PendingSteps } from "../../sim/scheduler/pending-steps.ts";
import type { ServerView } from "../../sim/oracle/server-view.ts";
import { findScenario } from "../../scenarios/index.ts";
import { PhasePolicy } from "../../sim/world/phases.ts";
import { config, server, session, view } from "../oracle/fixtures.ts";

/** A connected player loading `loading`; its connection never sends anything. */
function loadingPlayer(id: string, loading: string): Player {
  const host = { now: () => 0, connect: () => null, act: () => {}, matched: () => {} };
  const player = new Player(id, "Normal_1v1", "normal", host, new Rng(id));
  player.connection = { clientOpen: true, serverClosedAt: null, instanceId: "i1", clientSend: () => {}, clientClose: () => {}, clientDrop: () => {} };
  player.view = { state: "loading", session: loading };
  return player;
}

function quiet(players: Player[], current: ServerView, releasing = false): boolean {
  const options = findScenario("happy-path")!.options;
  return new PhasePolicy(options, config, new PendingSteps(0), players, () => current, false, () => 0, () => releasing).quiet();
}

describe("the settle phase's quiet", () => {
  it("waits while a client gone without a word is still held by the server (its heartbeat timeout to come)", () => {
    const gone = (heldByServer: boolean) => {
      const player = loadingPlayer("a", "s1");
      player.view = { state: "idle" };
      player.connection = { clientOpen: false, heldByServer, serverClosedAt: null, instanceId: "i1", clientSend: () => {}, clientClose: () => {}, clientDrop: () => {} };
      player.connections.push(player.connection);
      return quiet([player], view(() => {}));
    };
    expect(gone(true)).toBe(false);
    expect(gone(false)).toBe(true);
  });

  it("ends while every server is taken and the loading players' sessions are live, not while one loads a session Redis no longer holds", () => {
    const busy = (live: boolean) =>
      view((v) => {
        server(v, "ds1", "busy");
        if (live) session(v, "s1", ["a", "b"]);
      });
    expect(quiet([loadingPlayer("a", "s1")], busy(true))).toBe(true);
    expect(quiet([loadingPlayer("a", "s1")], busy(false))).toBe(false);
  });

  it("waits while a dedicated server's release is under way (a partition made it retry), and ends once it is not", () => {
    const settled = view((v) => server(v, "ds1", "busy"));
    expect(quiet([], settled, true)).toBe(false);
    expect(quiet([], settled, false)).toBe(true);
  });

  it("does not end on every server taken while an allocation holds one: its commit or its deadline decides that server", () => {
    const taken = (status: string) =>
      view((v) => {
        server(v, "ds1", "claimed");
        session(v, "s1", ["a", "b"]);
        (v.sessions.get("s1") as { status: string }).status = status;
      });
    expect(quiet([loadingPlayer("a", "s1")], taken("allocating"))).toBe(false);
    expect(quiet([loadingPlayer("a", "s1")], taken("loading"))).toBe(true);
  });

  it("waits while a player gone from every connection is still held by the server, and not once it is held nowhere", () => {
    const gone = loadingPlayer("a", "s1");
    gone.view = { state: "idle" };
    gone.connection = { clientOpen: false, heldByServer: false, serverClosedAt: null, instanceId: "i1", clientSend: () => {}, clientClose: () => {}, clientDrop: () => {} };
    gone.connections.push(gone.connection);
    expect(gone.connected).toBe(false);
    const holding = (held: boolean) =>
      view((v) => {
        server(v, "ds1", "busy");
        if (held) session(v, "s1", ["a", "b"]);
      });
    expect(quiet([gone], holding(true))).toBe(false);
    expect(quiet([gone], holding(false))).toBe(true);
  });
});

