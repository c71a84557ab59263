import { DedicatedServer, idempotencyKeyOf, parseCreateSessionRequest } from "../../src/dedicated/index.ts";
import type { HttpResponse, Logger, Probes, Timers } from "../../src/ports/index.ts";
import type { Variant } from "../../src/server/match-server.ts";
import { broken } from "../assert.ts";
import type { CreatedGame } from "../oracle/world-facts.ts";
import type { Rng } from "../random/rng.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { Step } from "../scheduler/step.ts";
import type { SimRedisPort } from "./sim-redis-port.ts";

const REGISTER_ATTEMPTS = 10;

/** Create calls a server keeps for a foreign caller to replay: the latest ones, as a capture of its traffic would. */
const KEPT_CALLS = 32;

/** A create call as it reached a dedicated server. */
export interface ReceivedCall {
  body: string;
  headers: Record<string, string>;
}

/**
 * Every heartbeat is two steps (the timer, the script) on every server of a world that may have sixty: slower
 * by default than a real server's (src/dedicated's 5 s), with the same three heartbeats to a registration's
 * lifetime. A world may set its own (WorldOptions.serverHeartbeatMs).
 */
const DEFAULT_HEARTBEAT_MS = 15_000;
const HEARTBEATS_PER_REGISTRATION = 3;

/** How often a world's dedicated servers renew their registration, ms. */
export function serverHeartbeatMs(options: Pick<WorldOptions, "serverHeartbeatMs">): number {
  return options.serverHeartbeatMs ?? DEFAULT_HEARTBEAT_MS;
}

/** How long a simulated server's registration lasts unrenewed, for a heartbeat of `heartbeatMs`. */
export function registrationTtlMs(heartbeatMs: number): number {
  return HEARTBEATS_PER_REGISTRATION * heartbeatMs;
}

/** What a dedicated server shares with the world: every game any server created, in creation order and by id. */
export interface GameLedger {
  created(game: CreatedGame): void;
  game(session: string): CreatedGame | undefined;
}

/** A dedicated server: the real request logic of src/dedicated on a simulated Redis connection and timers. */
export class SimDedicatedServer {
  /** Games this server created, in creation order. */
  readonly games: CreatedGame[] = [];
  /** The process is up: it answers requests and keeps its registration alive. */
  alive = true;
  /** When the process last died (ms since the run began), while no new one has started; null while up. */
  downSince: number | null = null;
  /** Until when (ms since the run began) its host is cut off from the network: up, but nothing reaches it or leaves it. */
  cutOffUntil = 0;
  /** The latest create calls of match servers it received, from any of its processes, oldest first (at most KEPT_CALLS). */
  readonly received: ReceivedCall[] = [];
  /** Where its current process's games begin in `games`. */
  private firstOfProcess = 0;
  /** The timeouts of the calls sent to it: a call waits for its answer while its timeout has neither run nor been cancelled. */
  private readonly calls: Step[] = [];
  private server: DedicatedServer;
  private readonly make: () => DedicatedServer;

  /** A call to it was sent, to end at `timeout` unless answered first. */
  called(timeout: Step): void {
    this.calls.push(timeout);
  }

  /** Some call to it waits for its answer: on its way, unanswered, or its reply on its way back. */
  get callWaiting(): boolean {
    while (this.calls.length > 0 && ((this.calls[0] as Step).cancelled || (this.calls[0] as Step).event !== null)) this.calls.shift();
    return this.calls.length > 0;
  }

  constructor(
    readonly id: string,
    readonly address: string,
    variant: Variant,
    private readonly now: () => number,
    rng: Rng,
    redis: SimRedisPort,
    timers: Timers,
    probes: Probes | null,
    /** How long its games last, or null when they never end. */
    readonly gameLengthMs: number | null,
    private readonly ledger: GameLedger,
    heartbeatMs: number,
  ) {
    // The real server logs `game_over` when a game's length has run out (the moment its release begins), and
    // `dedicated_server_released` once Redis took the release.
    const logger: Logger = {
      log: (_level, event, fields) => {
        const game = typeof fields?.session_id === "string" ? this.ledger.game(fields.session_id) : undefined;
        if (game === undefined) return;
        if (event === "game_over" && game.endedAt === null) game.endedAt = game.overAt = this.now();
        if (event === "dedicated_server_released" && fields?.result === "released") game.releasedAt = this.now();
      },
    };
    this.make = () =>
      new DedicatedServer({
        variant,
        id,
        address,
        random: { uuid: () => rng.uuid(), token: () => rng.token() },
        redis,
        logger,
        registrationTtlMs: registrationTtlMs(heartbeatMs),
        heartbeat: { timers, intervalMs: heartbeatMs },
        ...(gameLengthMs === null ? {} : { games: { lengthMs: gameLengthMs, timers } }),
        ...(probes ? { probes } : {}),
      });
    this.server = this.make();
  }

  /** Up, with the release of a game that is over still under way (retrying, waiting for a commit, or left to the heartbeat). */
  get releasing(): boolean {
    return this.alive && this.server.releasesUnderWay > 0;
  }

  /** Its host is cut off from the network now (see cutOffUntil). */
  get cutOff(): boolean {
    return this.now() < this.cutOffUntil;
  }

  /**
   * Up, and hosting no game that has not ended. A server cut off from the network counts: the partition heals,
   * and the world must not call itself settled while the server's release or registration is still to come.
   */
  get free(): boolean {
    return this.alive && this.games.every((game) => game.endedAt !== null);
  }

  /** The process dies: it answers nothing and renews nothing; its games end with it. */
  die(): void {
    this.alive = false;
    this.downSince = this.now();
    this.server.stop();
    for (const game of this.games) if (game.endedAt === null) game.endedAt = this.now();
  }

  /** A new process starts in its place, with nothing of the old one's, and registers as a new one would. */
  revive(): void {
    this.server = this.make();
    this.alive = true;
    this.downSince = null;
    this.firstOfProcess = this.games.length;
    this.register().catch(() => {});
  }

  /**
   * Registers like a real server's start-up would (src/bin/dedicated-server.ts): a lost command is retried, a
   * bounded number of times; then, registered or not, the heartbeat keeps the registration alive where it expires
   * (fixed), and registers once Redis answers again.
   */
  async register(): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.server.register();
          return;
        } catch (error) {
          if (attempt >= REGISTER_ATTEMPTS) throw error;
        }
      }
    } finally {
      this.server.keepAlive();
    }
  }

  /** Games its current process created for a call with a key: the keys it remembers, and refuses for other players. */
  get rememberedGames(): readonly CreatedGame[] {
    return this.games.slice(this.firstOfProcess).filter((game) => game.key !== null);
  }

  /** A create call; `foreign` when it is not a match server's (sim/world/foreign-caller.ts). */
  async handle(body: string, headers: Record<string, string>, foreign = false): Promise<HttpResponse> {
    if (!foreign) {
      this.received.push({ body, headers });
      if (this.received.length > KEPT_CALLS) this.received.shift();
    }
    const reply = await this.server.handleCreateSession(body, headers);
    if (reply.status === 200) {
      const parsed = JSON.parse(reply.body) as { session_id: string; server_address: string };
      if (this.ledger.game(parsed.session_id) === undefined) {
        // The server answered 200, so the call was the contract.
        const request = parseCreateSessionRequest(body);
        if (!request.ok) broken(`${this.id} created a game for a create call it should have refused: ${request.error}`);
        const game: CreatedGame = {
          server: this.id,
          address: this.address,
          session: parsed.session_id,
          gameAddress: parsed.server_address,
          players: request.value.players,
          key: idempotencyKeyOf(headers, request.value),
          createdAt: this.now(),
          endedAt: null,
          overAt: null,
          releasedAt: null,
        };
        this.games.push(game);
        this.ledger.created(game);
      }
    }
    return reply;
  }
}
