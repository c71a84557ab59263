import { describe, expect, it } from "vitest";
import { ErrorText } from "../../src/protocol/index.ts";
import { Rng } from "../../sim/random/rng.ts";
import { Player, type PlayerConnection, type PlayerHost } from "../../sim/players/player.ts";

function connectedPlayer(behaviour: "normal" | "never-loads" = "normal") {
  const sent: string[] = [];
  const actions: Array<{ label: string; action: () => void }> = [];
  const connection: PlayerConnection = { clientOpen: true, clientSend: (text) => sent.push(text), clientClose: () => {}, clientDrop: () => {} };
  const host: PlayerHost = { now: () => 1_000, connect: () => connection, act: (_p, _d, label, action) => actions.push({ label, action }) };
  const player = new Player("p1", "Normal_1v1", behaviour, host, new Rng("p1"));
  player.start();
  return { player, connection, sent, actions };
}

describe("the player program's view of itself", () => {
  it("goes awaiting -> queued -> loading -> matched, recording one episode", () => {
    const { player, connection } = connectedPlayer();
    expect(player.view.state).toBe("awaiting");
    player.received(connection, JSON.stringify({ type: "queued" }));
    player.received(connection, JSON.stringify({ type: "start_loading", loading_session_id: "s1" }));
    expect(player.view).toEqual({ state: "loading", session: "s1" });
    player.received(connection, JSON.stringify({ type: "match_found", session_id: "g1", server_address: "ws://x" }));
    expect(player.view.state).toBe("matched");
    expect(player.episodes).toHaveLength(1);
    expect(player.episodes[0]?.outcome?.kind).toBe("matched");
  });

  it("reads a re-queue error as queued, and a timeout as a timed-out episode", () => {
    const { player, connection } = connectedPlayer();
    player.received(connection, JSON.stringify({ type: "start_loading", loading_session_id: "s1" }));
    player.received(connection, JSON.stringify({ type: "error", message: ErrorText.timedOut }));
    expect(player.view.state).toBe("queued");
    expect(player.episodes[0]?.outcome?.kind).toBe("timed-out");
  });

  it("keeps its state through the refusal of one frame of its own (another player's enqueue, a frame too many), but not through an internal error", () => {
    for (const refusal of [ErrorText.connectionBound, ErrorText.tooManyFrames, ErrorText.tooManyRequests, ErrorText.invalidFormat, ErrorText.alreadyInQueue]) {
      const { player, connection } = connectedPlayer();
      player.received(connection, JSON.stringify({ type: "queued" }));
      player.received(connection, JSON.stringify({ type: "error", message: refusal }));
      expect([refusal, player.view.state]).toEqual([refusal, "queued"]);
      player.received(connection, JSON.stringify({ type: "start_loading", loading_session_id: "s1" }));
      player.received(connection, JSON.stringify({ type: "error", message: refusal }));
      expect([refusal, player.view.state, player.episodes[0]?.outcome]).toEqual([refusal, "loading", null]);
    }
    const { player, connection } = connectedPlayer();
    player.received(connection, JSON.stringify({ type: "start_loading", loading_session_id: "s1" }));
    player.received(connection, JSON.stringify({ type: "error", message: ErrorText.internal }));
    expect(player.episodes[0]?.outcome?.kind).toBe("refused");
  });

  it("reads being replaced by another connection as the end of this connection, not an outcome", () => {
    const { player, connection } = connectedPlayer();
    player.received(connection, JSON.stringify({ type: "start_loading", loading_session_id: "s1" }));
    player.received(connection, JSON.stringify({ type: "error", message: ErrorText.replaced }));
    expect(player.episodes[0]?.outcome).toBeNull();
    expect(player.episodes[0]?.disconnectedAt).toBe(1_000);
  });

  it("ignores messages on a connection it no longer uses, and unparseable ones", () => {
    const { player, connection } = connectedPlayer();
    const stale: PlayerConnection = { ...connection };
    player.received(stale, JSON.stringify({ type: "queued" }));
    expect(player.view.state).toBe("awaiting");
    player.received(connection, "{garbage");
    expect(player.errors).toEqual(["unparseable message: {garbage"]);
  });

  it("gives up after its last re-enqueue: no longer willing, so no invariant expects it matched", () => {
    const { player, connection, actions } = connectedPlayer();
    for (let i = 0; i < 3; i++) {
      player.received(connection, JSON.stringify({ type: "error", message: "Loading timed out. Enqueue again to play." }));
      expect(player.willing).toBe(true);
      actions.filter((a) => a.label === "enqueue again").at(-1)?.action();
    }
    const planned = actions.filter((a) => a.label === "enqueue again").length;
    player.received(connection, JSON.stringify({ type: "error", message: "Loading timed out. Enqueue again to play." }));
    expect(actions.filter((a) => a.label === "enqueue again")).toHaveLength(planned);
    expect(player.view.state).toBe("idle");
    expect(player.willing).toBe(false);
  });
});
