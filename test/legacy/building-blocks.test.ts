import { describe, expect, it } from "vitest";
import {
  createGameSession,
  DedicatedServerProvider,
  markLegacyDedicatedServerBusy,
  registerLegacyDedicatedServer,
} from "../../src/legacy/dedicated-servers.ts";
import { SCAN_COUNT } from "../../src/legacy/scan.ts";
import { DistributedLock } from "../../src/legacy/lock.ts";
import { parseUuidOrPanic } from "../../src/legacy/uuid.ts";
import { RecordingLogger, ScriptedHttp, SeededRandom } from "../support/fake-ports.ts";
import { ManualTime } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";

function setup() {
  const time = new ManualTime();
  const redis = createTestRedis(time);
  const logger = new RecordingLogger();
  return { time, redis, logger, port: redis.port("i1") };
}

describe("legacy DistributedLock", () => {
  it("acquires with NX PX, refuses a held key, and expires by itself", async () => {
    const { time, port, logger, redis } = setup();
    const lock = new DistributedLock(port, new SeededRandom("x"), logger, 10_000);
    const held = await lock.acquire("lock:k");
    expect(held?.key).toBe("lock:k");
    expect(redis.engine.inspect("lock:k")).toEqual({ type: "string", value: held?.token });
    expect(await lock.acquire("lock:k")).toBeNull();
    await time.advance(10_001);
    expect(await lock.acquire("lock:k")).not.toBeNull();
  });

  it("releases only its own token", async () => {
    const { time, port, logger, redis } = setup();
    const lock = new DistributedLock(port, new SeededRandom("x"), logger, 10_000);
    const stale = await lock.acquire("lock:k");
    await time.advance(10_001);
    const fresh = await lock.acquire("lock:k");
    if (stale === null || fresh === null) throw new Error("both acquires should succeed");
    await lock.release(stale);
    expect(redis.engine.inspect("lock:k")).toEqual({ type: "string", value: fresh.token });
    await lock.release(fresh);
    expect(redis.engine.inspect("lock:k")).toBeNull();
  });
});

describe("legacy DedicatedServerProvider", () => {
  it("registers idle, marks busy, and finds the first idle server across many SCAN pages", async () => {
    const { port, logger, redis } = setup();
    for (let i = 0; i < 3 * SCAN_COUNT; i++) {
      redis.engine.execute("SET", [`dedicated_server:busy-${i}`, JSON.stringify({ address: `b:${i}`, status: "busy" })]);
    }
    redis.engine.execute("SET", ["dedicated_server:junk", "{not json"]);
    redis.engine.execute("HSET", ["dedicated_server:hash", "address", "h:1"]);
    const provider = new DedicatedServerProvider(port, logger);
    expect((await provider.findAvailableServer()).ok).toBe(false);

    await registerLegacyDedicatedServer(port, "ds1", "10.0.0.1:7000");
    expect(redis.engine.inspect("dedicated_server:ds1")).toEqual({
      type: "string",
      value: JSON.stringify({ address: "10.0.0.1:7000", status: "idle" }),
    });
    expect(await provider.findAvailableServer()).toEqual({
      ok: true,
      value: { address: "10.0.0.1:7000", status: "idle" },
    });
    expect(logger.events()).toContain("dedicated_server_unparseable");
    expect(logger.events()).toContain("dedicated_server_unreadable");

    await markLegacyDedicatedServerBusy(port, "ds1", "10.0.0.1:7000");
    expect((await provider.findAvailableServer()).ok).toBe(false);
  });

  it("classifies create-session outcomes", async () => {
    const session = "9e9e9e9e-0000-4000-8000-000000000001";
    const http = new ScriptedHttp().reply(
      { status: 201, body: JSON.stringify({ server_address: "ws://x", session_id: session.toUpperCase() }) },
      { status: 503, body: "" },
      { status: 200, body: "[]" },
      new Error("timeout"),
    );
    const players = ["0a0a0a0a-0000-4000-8000-00000000000a"];
    expect(await createGameSession(http, "h:1", players, 5_000)).toEqual({
      ok: true,
      value: { server_address: "ws://x", session_id: session },
    });
    expect(await createGameSession(http, "h:1", players, 5_000)).toEqual({ ok: false, error: "http_status" });
    expect(await createGameSession(http, "h:1", players, 5_000)).toEqual({ ok: false, error: "bad_reply" });
    expect(await createGameSession(http, "h:1", players, 5_000)).toEqual({ ok: false, error: "unreachable" });
    expect(http.calls[0]).toMatchObject({ url: "http://h:1/session/create", body: JSON.stringify({ players }) });
  });
});

describe("parseUuidOrPanic", () => {
  it("returns the canonical lower-case id and throws on anything else", () => {
    expect(parseUuidOrPanic("0A0A0A0A-0000-4000-8000-00000000000A")).toBe("0a0a0a0a-0000-4000-8000-00000000000a");
    expect(() => parseUuidOrPanic("bob")).toThrow(/bob/);
  });
});
