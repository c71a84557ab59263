import { DedicatedServer } from "../../src/dedicated/index.ts";
import type { HttpResponse, Logger, Probes, Timers } from "../../src/ports/index.ts";
import type { Variant } from "../../src/server/match-server.ts";
import type { Rng } from "../random/rng.ts";
import type { SimRedisPort } from "./sim-redis-port.ts";

const REGISTER_ATTEMPTS = 10;

/**
 * Every heartbeat is two steps (the timer, the script) on every server of a world that may have sixty: slower
 * than a real server's, with the same three heartbeats to a registration's lifetime.
 */
const HEARTBEAT_MS = 15_000;
const REGISTRATION_TTL_MS = 3 * HEARTBEAT_MS;

const silent: Logger = { log: () => {} };

/** A dedicated server: the real request logic of src/dedicated on a simulated Redis connection. */
export class SimDedicatedServer {
  /** Games this server created: their players and when (ms since the run began). */
  readonly games: Array<{ session: string; players: string[]; createdAt: number }> = [];
  /** The process is up: it answers requests and keeps its registration alive. */
  alive = true;
  private server: DedicatedServer;
  private readonly make: () => DedicatedServer;
  /** Games of earlier processes: they died with their process. */
  private gamesBeforeStart = 0;

  constructor(
    readonly id: string,
    readonly address: string,
    variant: Variant,
    private readonly now: () => number,
    rng: Rng,
    redis: SimRedisPort,
    timers: Timers,
    probes: Probes | null,
  ) {
    this.make = () =>
      new DedicatedServer({
        variant,
        id,
        address,
        random: { uuid: () => rng.uuid(), token: () => rng.token() },
        redis,
        logger: silent,
        registrationTtlMs: REGISTRATION_TTL_MS,
        heartbeat: { timers, intervalMs: HEARTBEAT_MS },
        ...(probes ? { probes } : {}),
      });
    this.server = this.make();
  }

  /** Up, and no game of its current process is running (games never end in a simulated world). */
  get free(): boolean {
    return this.alive && this.games.length === this.gamesBeforeStart;
  }

  /** A game this server created is over: its process died since. */
  gameOver(session: string): boolean {
    const at = this.games.findIndex((game) => game.session === session);
    return at >= 0 && (at < this.gamesBeforeStart || !this.alive);
  }

  /** The process dies: it answers nothing and renews nothing; its games die with it. */
  die(): void {
    this.alive = false;
    this.server.stop();
  }

  /** A new process starts in its place, with nothing of the old one's, and registers as a new one would. */
  revive(): void {
    this.server = this.make();
    this.gamesBeforeStart = this.games.length;
    this.alive = true;
    this.register().catch(() => {});
  }

  /**
   * Registers like a real server's start-up would: a lost command is retried, a bounded number of times; then
   * the heartbeat keeps the registration alive where it expires (fixed).
   */
  async register(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.server.register();
        this.server.keepAlive();
        return;
      } catch (error) {
        if (attempt >= REGISTER_ATTEMPTS) throw error;
      }
    }
  }

  async handle(body: string, headers: Record<string, string>): Promise<HttpResponse> {
    const reply = await this.server.handleCreateSession(body, headers);
    if (reply.status === 200) {
      const parsed = JSON.parse(reply.body) as { session_id: string };
      const players = (JSON.parse(body) as { players: string[] }).players;
      this.games.push({ session: parsed.session_id, players, createdAt: this.now() });
    }
    return reply;
  }
}
