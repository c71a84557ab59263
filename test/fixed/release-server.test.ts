import { beforeEach, describe, expect, it } from "vitest";
import { DedicatedServer, PENDING_RELEASE_RETRY_MS, RELEASE_ATTEMPTS, RELEASE_RETRY_MS, type DedicatedServerOptions } from "../../src/dedicated/index.ts";
import { finishFixedGame, Keys } from "../../src/fixed/index.ts";
import { ScriptRunner } from "../../src/fixed/scripts.ts";
import type { RedisArg, RedisPort, RedisReply } from "../../src/ports/index.ts";
import { RecordingLogger, SeededRandom } from "../support/fake-ports.ts";
import { ManualTime } from "../support/manual-time.ts";
import { createTestRedis } from "../support/redis.ts";
import { MODE, PLAYER_A, PLAYER_B } from "./fixed-world.ts";

/** A game ends: release_server and the dedicated server's game timer that calls it. */

const SERVER = "ds1";
const ADDRESS = "10.0.0.1:7000";
const SID = "5e5e5e5e-0000-4000-8000-000000000001";
const GAME = "9e9e9e9e-0000-4000-8000-000000000009";
const OTHER_GAME = "9e9e9e9e-0000-4000-8000-00000000000a";
const GAME_MS = 30_000;

let time: ManualTime;
let redis: ReturnType<typeof createTestRedis>;
let port: RedisPort;
let runner: ScriptRunner;

function run(name: Parameters<ScriptRunner["run"]>[0], ...args: RedisArg[]): Promise<RedisReply> {
  return runner.run(name, Keys.deadlines, args);
}

function server(): Record<string, string> | null {
  const value = redis.engine.inspect(Keys.server(SERVER));
  return value?.type === "hash" ? value.value : null;
}

function idlePool(): string[] {
  const value = redis.engine.inspect(Keys.idleServers);
  return value?.type === "zset" ? value.value.map(([member]) => member) : [];
}

/** Two players matched into SID, allocating, with ds1 claimed for it; returns the fencing token. */
async function claimed(): Promise<string> {
  await run("enqueue", PLAYER_A, MODE, "i1/a", "i1");
  await run("enqueue", PLAYER_B, MODE, "i1/b", "i1");
  await run("match", MODE, 2, 10_000, 100, SID);
  await run("ready", PLAYER_A, SID, "i1/a", 5_000);
  const token = ((await run("ready", PLAYER_B, SID, "i1/b", 5_000)) as string[])[1] as string;
  expect(await run("claim_server", SID, token, "attempt")).toEqual(["claimed", SERVER, ADDRESS, 0]);
  return token;
}

async function busy(game = GAME): Promise<void> {
  const token = await claimed();
  expect(await run("commit", SID, token, SERVER, game, `ws://${ADDRESS}/game?session_id=${game}`)).toEqual(["matched", 2]);
}

beforeEach(async () => {
  time = new ManualTime();
  redis = createTestRedis(time);
  port = redis.port("dedicated");
  runner = new ScriptRunner(redis.port("script-test"));
  expect(await run("register_instance", "i1", 60_000, "1")).toEqual(["ok", 0]);
  expect(await run("register_server", SERVER, ADDRESS, 3_600_000, "1")).toEqual(["idle"]);
});

describe("release_server", () => {
  it("moves a server busy with this game back to idle and into the pool", async () => {
    await busy();
    expect(server()).toMatchObject({ status: "busy", session: SID });
    expect(idlePool()).toEqual([]);
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("released");
    expect(server()).toEqual({ address: ADDRESS, status: "idle", session: "" });
    expect(idlePool()).toEqual([SERVER]);
    // Twice is harmless: the server is idle, the second call changes nothing.
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("stale");
    expect(idlePool()).toEqual([SERVER]);
  });

  it("ends the game for its players: one who asks to play again is queued anew, and a resync tells it nothing", async () => {
    await busy();
    expect(await run("enqueue", PLAYER_A, MODE, "i1/a2", "i1")).toEqual(["in_game"]);
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("released");
    const session = redis.engine.inspect(Keys.session(SID));
    expect(session?.type === "hash" ? session.value.status : null).toBe("over");
    expect(await run("resync", PLAYER_B, "i1/b")).toEqual(["over"]);
    expect(await run("enqueue", PLAYER_A, MODE, "i1/a2", "i1")).toEqual(["queued", "after_game"]);
    const queue = redis.engine.inspect(Keys.queue(MODE));
    expect(queue?.type === "zset" ? queue.value.map(([member]) => member) : []).toEqual([PLAYER_A]);
  });

  it("leaves a server busy with another game alone", async () => {
    await busy(OTHER_GAME);
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("stale");
    expect(server()).toMatchObject({ status: "busy", session: SID });
    expect(idlePool()).toEqual([]);
  });

  it("answers pending for a claimed server, whose commit may still come", async () => {
    const token = await claimed();
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("pending");
    expect(server()).toMatchObject({ status: "claimed", session: SID });
    await run("commit", SID, token, SERVER, GAME, "ws://g");
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("released");
  });

  it("answers stale for an idle or unknown server and creates nothing", async () => {
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("stale");
    expect(await finishFixedGame(port, "ds-unknown", GAME)).toBe("stale");
    expect(redis.engine.inspect(Keys.server("ds-unknown"))).toBeNull();
    expect(idlePool()).toEqual([SERVER]);
  });
});

describe("a dedicated server that starts again", () => {
  it("ends the game its previous process hosted: a player who comes back is not told a game on a process that is gone (redis-restart seed 381)", async () => {
    await busy();
    expect(await run("register_server", SERVER, ADDRESS, 3_600_000, "1")).toEqual(["idle"]);
    expect(server()).toEqual({ address: ADDRESS, status: "idle", session: "" });
    const session = redis.engine.inspect(Keys.session(SID));
    expect(session?.type === "hash" ? session.value.status : null).toBe("over");
    expect(await run("resync", PLAYER_B, "i1/b")).toEqual(["over"]);
    expect(await run("enqueue", PLAYER_A, MODE, "i1/a2", "i1")).toEqual(["queued", "after_game"]);
  });

  it("leaves a session alone that its previous process no longer hosted", async () => {
    await busy();
    expect(await finishFixedGame(port, SERVER, GAME)).toBe("released");
    const ended = redis.engine.inspect(Keys.session(SID));
    expect(await run("register_server", SERVER, ADDRESS, 3_600_000, "1")).toEqual(["idle"]);
    expect(redis.engine.inspect(Keys.session(SID))).toEqual(ended);
  });
});

describe("a dedicated server whose games end", () => {
  let logger: RecordingLogger;

  /**
   * ds1 on the test's Redis and clock, its games ending after GAME_MS unless `games` is false, registered as a
   * started process is before it takes a game.
   */
  async function dedicated(games = true, overrides: Partial<DedicatedServerOptions> = {}): Promise<DedicatedServer> {
    const made = new DedicatedServer({
      variant: "fixed",
      id: SERVER,
      address: ADDRESS,
      random: new SeededRandom("game"),
      redis: port,
      logger,
      ...(games ? { games: { lengthMs: GAME_MS, timers: time } } : {}),
      ...overrides,
    });
    await made.register();
    return made;
  }

  async function create(ds: DedicatedServer): Promise<string> {
    const reply = await ds.handleCreateSession(JSON.stringify({ players: [PLAYER_A, PLAYER_B] }), {});
    expect(reply.status).toBe(200);
    return (JSON.parse(reply.body) as { session_id: string }).session_id;
  }

  beforeEach(() => {
    logger = new RecordingLogger();
  });

  it("is released when its game is over, not before", async () => {
    const ds = await dedicated();
    const token = await claimed();
    const game = await create(ds);
    await run("commit", SID, token, SERVER, game, "ws://g");
    await time.advance(GAME_MS - 1);
    expect(server()).toMatchObject({ status: "busy" });
    await time.advance(1);
    expect(server()).toMatchObject({ status: "idle", session: "" });
    expect(idlePool()).toEqual([SERVER]);
  });

  it("asks again while the commit has not landed, then releases", async () => {
    const ds = await dedicated();
    const token = await claimed();
    const game = await create(ds);
    await time.advance(GAME_MS + PENDING_RELEASE_RETRY_MS * 2);
    expect(server()).toMatchObject({ status: "claimed" });
    await run("commit", SID, token, SERVER, game, "ws://g");
    await time.advance(PENDING_RELEASE_RETRY_MS);
    expect(server()).toMatchObject({ status: "idle" });
  });

  it("is released when the game it is busy with ends before an unused game beside it", async () => {
    const ds = await dedicated();
    const token = await claimed();
    const game = await create(ds);
    // A game created for an allocation whose commit then failed runs beside it, unused, and ends last.
    await create(ds);
    await run("commit", SID, token, SERVER, game, "ws://g");
    await time.advance(GAME_MS);
    expect(server()).toMatchObject({ status: "idle", session: "" });
    expect(idlePool()).toEqual([SERVER]);
  });

  it("starts no heartbeat once stopped, though its registration lands after (a process that died while registering)", async () => {
    const ds = await dedicated(false, { heartbeat: { timers: time, intervalMs: 1_000 } });
    ds.stop();
    ds.keepAlive();
    expect(time.labels()).toEqual([]);
  });

  it("keeps asking while its claim lasts, however late the commit, then releases", async () => {
    const ds = await dedicated();
    const token = await claimed();
    const game = await create(ds);
    await time.advance(GAME_MS + RELEASE_RETRY_MS * RELEASE_ATTEMPTS * 4);
    expect(logger.events()).not.toContain("dedicated_server_release_gave_up");
    expect(server()).toMatchObject({ status: "claimed" });
    // Under way all along, so a simulated world does not call itself settled before it lands.
    expect(ds.releasesUnderWay).toBe(1);
    await run("commit", SID, token, SERVER, game, "ws://g");
    await time.advance(PENDING_RELEASE_RETRY_MS);
    expect(server()).toMatchObject({ status: "idle" });
    expect(ds.releasesUnderWay).toBe(0);
    expect(time.labels()).toEqual([]);
  });

  it("stops asking once the claim's session ended without a commit (the sweep freed the server)", async () => {
    const ds = await dedicated();
    await claimed();
    await create(ds);
    await time.advance(GAME_MS + PENDING_RELEASE_RETRY_MS);
    await time.advance(60_000);
    expect(((await run("expire_due", 100)) as unknown[]).slice(0, 2)).toEqual(["expired", 1]);
    await time.advance(PENDING_RELEASE_RETRY_MS);
    expect(server()).toMatchObject({ status: "idle" });
    expect(logger.events()).toContain("dedicated_server_released");
    expect(time.labels()).toEqual([]);
  });

  it("stops its quick retries after its attempts when Redis keeps failing, and leaves the release to the heartbeat", async () => {
    let down = false;
    const failing = { ...port, runScript: (...args: Parameters<RedisPort["runScript"]>) => (down ? Promise.reject(new Error("Connection is closed.")) : port.runScript(...args)) };
    const ds = await dedicated(true, { redis: failing });
    down = true;
    await create(ds);
    await time.advance(GAME_MS + RELEASE_RETRY_MS);
    expect(ds.releasesUnderWay).toBe(1);
    await time.advance(RELEASE_RETRY_MS * RELEASE_ATTEMPTS);
    expect(logger.events()).toContain("dedicated_server_release_gave_up");
    // Still under way, with no timer of its own: the next heartbeat that reaches Redis asks again.
    expect(ds.releasesUnderWay).toBe(1);
    expect(time.labels()).toEqual([]);
  });

  it("releases once Redis answers again after its quick retries ran out, while its heartbeat kept it registered busy", async () => {
    // A Redis failover or a lossy link longer than the retries, at the moment a game ends: the heartbeat renews
    // the registration afterwards, so a release given up for good would leave the server busy, offered to nobody.
    let down = false;
    const flaky: RedisPort = Object.assign(Object.create(port) as RedisPort, {
      runScript: (...args: Parameters<RedisPort["runScript"]>) => (down ? Promise.reject(new Error("Connection is closed.")) : port.runScript(...args)),
    });
    const ds = await dedicated(true, { redis: flaky, registrationTtlMs: 60_000, heartbeat: { timers: time, intervalMs: 5_000 } });
    await ds.register();
    ds.keepAlive();
    const token = await claimed();
    const game = await create(ds);
    await run("commit", SID, token, SERVER, game, "ws://g");
    down = true;
    await time.advance(GAME_MS + RELEASE_RETRY_MS * (RELEASE_ATTEMPTS + 1));
    expect(logger.events()).toContain("dedicated_server_release_gave_up");
    expect(server()).toMatchObject({ status: "busy" });
    down = false;
    await time.advance(5_000);
    expect(server()).toMatchObject({ status: "idle", session: "" });
    expect(idlePool()).toEqual([SERVER]);
    expect(ds.releasesUnderWay).toBe(0);
    ds.stop();
  });

  it("never ends a game without a game length", async () => {
    const ds = await dedicated(false);
    const token = await claimed();
    const game = await create(ds);
    await run("commit", SID, token, SERVER, game, "ws://g");
    expect(time.labels()).toEqual([]);
    await time.advance(10 * GAME_MS);
    expect(server()).toMatchObject({ status: "busy" });
  });
});
