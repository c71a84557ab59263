import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IoRedisPort } from "../../src/adapters/ioredis-port.ts";
import { DedicatedServer, MAX_PLAYERS } from "../../src/dedicated/index.ts";
import { isUuid } from "../../src/protocol/index.ts";
import type { LuaScript, RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import { RecordingLogger, SeededRandom } from "../support/fake-ports.ts";
import { startRealRedis, type RealRedis } from "../support/redis-server.ts";
import { realRedisAvailable } from "./real-redis.ts";

const ADDRESS = "127.0.0.1:7777";
const PLAYERS = ["5f0c6c1e-3f3a-4a3e-9d43-0c1f7a6f1a01", "5f0c6c1e-3f3a-4a3e-9d43-0c1f7a6f1a02"];

/** A RedisPort whose next `failures` calls reject, as a Redis that is briefly unreachable would. */
class FlakyRedis implements RedisPort {
  constructor(
    private readonly inner: RedisPort,
    private failures: number,
  ) {}
  async call(command: string, ...args: RedisArg[]): Promise<RedisReply> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error("connection lost");
    }
    return this.inner.call(command, ...args);
  }
  runScript(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply> {
    return this.inner.runScript(script, keys, args);
  }
  psubscribe(): Promise<void> {
    throw new Error("not used");
  }
  subscribe(): Promise<void> {
    throw new Error("not used");
  }
}

describe.skipIf(!realRedisAvailable)("dedicated server logic on a real Redis", () => {
  let redis: RealRedis;
  let port: IoRedisPort;
  let logger: RecordingLogger;

  beforeAll(async () => {
    redis = await startRealRedis();
    port = IoRedisPort.connect(redis.url);
  });
  afterAll(async () => {
    await port?.quit();
    await redis?.stop();
  });
  beforeEach(async () => {
    await port.call("FLUSHDB");
    logger = new RecordingLogger();
  });

  const legacyServer = (redisPort: RedisPort = port) =>
    new DedicatedServer({ variant: "legacy", id: "ds-1", address: ADDRESS, random: new SeededRandom("ds"), redis: redisPort, logger });
  const legacyEntry = async () => JSON.parse(String(await port.call("GET", "dedicated_server:ds-1")));
  const created = () => logger.events().filter((event) => event === "game_session_created").length;

  it.each([
    ["not JSON", "{players"],
    ["not an object", "[1]"],
    ["no players", "{}"],
    ["players not a list", '{"players":"a"}'],
    ["no player", '{"players":[]}'],
    ["too many players", JSON.stringify({ players: Array.from({ length: MAX_PLAYERS + 1 }, (_, i) => `p${i}`) })],
    ["a player that is not a string", '{"players":["a",2]}'],
    ["an empty player id", '{"players":[""]}'],
    ["a bad idempotency key", '{"players":["a"],"idempotency_key":5}'],
  ])("refuses %s with 400 and a JSON error, touching nothing", async (_case, body) => {
    const server = legacyServer();
    await server.register();
    const reply = await server.handleCreateSession(body, {});
    expect(reply.status).toBe(400);
    expect(typeof JSON.parse(reply.body).error).toBe("string");
    expect(await legacyEntry()).toEqual({ address: ADDRESS, status: "idle" });
  });

  it("accepts the largest allowed match", async () => {
    const players = Array.from({ length: MAX_PLAYERS }, (_, i) => `p${i}`);
    expect((await legacyServer().handleCreateSession(JSON.stringify({ players }), {})).status).toBe(200);
  });

  it("legacy: registers idle, then marks itself busy and sends players to a game address", async () => {
    const server = legacyServer();
    await server.register();
    expect(await legacyEntry()).toEqual({ address: ADDRESS, status: "idle" });

    const reply = await server.handleCreateSession(JSON.stringify({ players: PLAYERS }), {});
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body);
    expect(Object.keys(body).sort()).toEqual(["server_address", "session_id"]);
    expect(isUuid(body.session_id)).toBe(true);
    expect(body.server_address).toBe(`ws://${ADDRESS}/game?session_id=${body.session_id}`);
    expect(await legacyEntry()).toEqual({ address: ADDRESS, status: "busy" });
  });

  it("answers a repeated Idempotency-Key with the same session, creating it once", async () => {
    const server = legacyServer();
    const body = JSON.stringify({ players: PLAYERS });
    const first = await server.handleCreateSession(body, { "idempotency-key": "sid:1" });
    const again = await server.handleCreateSession(body, { "Idempotency-Key": "sid:1" });
    const other = await server.handleCreateSession(body, { "idempotency-key": "sid:2" });
    expect(again).toEqual(first);
    expect(other.body).not.toBe(first.body);
    expect(created()).toBe(2);
  });

  it("takes the key from the body too, the header winning when both are given", async () => {
    const server = legacyServer();
    const first = await server.handleCreateSession(JSON.stringify({ players: PLAYERS, idempotency_key: "k" }), {});
    const byBody = await server.handleCreateSession(JSON.stringify({ players: PLAYERS, idempotency_key: "k" }), {});
    const byHeader = await server.handleCreateSession(JSON.stringify({ players: PLAYERS, idempotency_key: "other" }), {
      "idempotency-key": "k",
    });
    expect(byBody).toEqual(first);
    expect(byHeader).toEqual(first);
    expect(created()).toBe(1);
  });

  it("gives concurrent calls with one key one session", async () => {
    const server = legacyServer();
    const body = JSON.stringify({ players: PLAYERS });
    const replies = await Promise.all([1, 2, 3].map(() => server.handleCreateSession(body, { "idempotency-key": "race" })));
    expect(new Set(replies.map((reply) => reply.body)).size).toBe(1);
    expect(created()).toBe(1);
  });

  it("refuses a key reused for other players with 409", async () => {
    const server = legacyServer();
    await server.handleCreateSession(JSON.stringify({ players: PLAYERS }), { "idempotency-key": "k" });
    const reused = await server.handleCreateSession(JSON.stringify({ players: ["someone-else"] }), { "idempotency-key": "k" });
    expect(reused.status).toBe(409);
  });

  it("does not remember a failure: a retry with the same key creates the session", async () => {
    const server = legacyServer(new FlakyRedis(port, 1));
    const body = JSON.stringify({ players: PLAYERS });
    const failed = await server.handleCreateSession(body, { "idempotency-key": "retry" });
    expect(failed.status).toBe(503);
    const retried = await server.handleCreateSession(body, { "idempotency-key": "retry" });
    expect(retried.status).toBe(200);
    expect(await legacyEntry()).toEqual({ address: ADDRESS, status: "busy" });
  });

  it("fixed: registers in the fixed layout and leaves busy-marking to the match server's scripts", async () => {
    const server = new DedicatedServer({ variant: "fixed", id: "ds-f", address: ADDRESS, random: new SeededRandom("f"), redis: port, logger });
    await server.register();
    expect(await port.call("EXISTS", "dedicated_server:ds-f")).toBe(0);
    const keysAfterRegister = ((await port.call("KEYS", "*")) as string[]).sort();
    expect(keysAfterRegister.length).toBeGreaterThan(0);
    const snapshot = await Promise.all(keysAfterRegister.map((key) => port.call("DUMP", key)));

    const reply = await server.handleCreateSession(JSON.stringify({ players: PLAYERS }), { "idempotency-key": "sid:7" });
    expect(reply.status).toBe(200);
    expect(((await port.call("KEYS", "*")) as string[]).sort()).toEqual(keysAfterRegister);
    expect(await Promise.all(keysAfterRegister.map((key) => port.call("DUMP", key)))).toEqual(snapshot);
  });
});
