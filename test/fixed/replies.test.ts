import { describe, expect, it } from "vitest";
import { idempotencyKey, parseCreateReply } from "../../src/fixed/allocation.ts";
import { parseEnqueue, parseLeave, parseReady } from "../../src/fixed/player-record.ts";
import { parseClaim, parseCommit, parseExpiry, parseMatch, parsePresence, parseReaped, parseRollback } from "../../src/fixed/session.ts";
import { PLAYER_A, PLAYER_B } from "./fixed-world.ts";

const SID = "5e5e5e5e-0000-4000-8000-000000000001";

describe("script replies are checked, never trusted", () => {
  it.each([
    ["enqueue", parseEnqueue, ["queued", "new"], ["queued", "sideways"]],
    ["enqueue fenced", parseEnqueue, ["fenced"], ["fenced", "x"]],
    ["ready", parseReady, ["allocate", "3", "Normal_1v1", PLAYER_A, PLAYER_B], ["allocate", "x", "Normal_1v1", PLAYER_A]],
    ["ready ids", parseReady, ["waiting"], ["allocate", "3", "Normal_1v1", "junk"]],
    ["leave", parseLeave, ["left", "loading"], ["left", "nowhere"]],
    ["match", parseMatch, ["matched", 0, 1, SID], ["matched", 0, 1, "junk"]],
    ["claim", parseClaim, ["claimed", "ds1", "h:1", 0], ["claimed", "ds1"]],
    ["commit", parseCommit, ["matched", 2], ["matched", -1]],
    ["rollback", parseRollback, ["rolled_back", 2], ["rolled_back"]],
    ["expire", parseExpiry, ["expired", 1, 2, 3, 4], ["expired", 1, 2, 3]],
    ["reaped", parseReaped, ["reaped", "i1"], ["dead", "i1"]],
    ["presence", parsePresence, ["ok", 0], ["ok"]],
  ] as const)("%s", (_name, parse, good, bad) => {
    expect(parse(good as never).ok).toBe(true);
    expect(parse(bad as never).ok).toBe(false);
  });

  it("refuses non-arrays and nested arrays", () => {
    for (const reply of [null, "OK", 3, [], [["queued"]], [1.5]]) expect(parseEnqueue(reply).ok).toBe(false);
  });
});

describe("dedicated server replies", () => {
  it("accepts a 2xx with a string address and a UUID session", () => {
    expect(parseCreateReply({ status: 201, body: JSON.stringify({ server_address: "ws://h/g", session_id: SID }) })).toEqual({
      serverAddress: "ws://h/g",
      sessionId: SID,
    });
  });

  it.each([
    [{ status: 500, body: JSON.stringify({ server_address: "ws://h/g", session_id: SID }) }, "status 500"],
    [{ status: 200, body: "nope" }, "body is not JSON"],
    [{ status: 200, body: "[]" }, "body is not an object"],
    [{ status: 200, body: JSON.stringify({ server_address: "", session_id: SID }) }, "server_address is not a string"],
    [{ status: 200, body: JSON.stringify({ server_address: "ws://h", session_id: "abc" }) }, "session_id is not a UUID"],
  ])("refuses %j", (response, reason) => {
    expect(parseCreateReply(response)).toBe(reason);
  });

  it("keys the create call by session and fencing token", () => {
    expect(idempotencyKey({ sessionId: SID, token: "7", mode: "m", players: [] })).toBe(`${SID}:7`);
  });
});
