import { DedicatedServer } from "../../src/dedicated/index.ts";
import type { HttpResponse, Logger } from "../../src/ports/index.ts";
import type { Variant } from "../../src/server/match-server.ts";
import type { CreatedGame } from "../oracle/world-facts.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { Rng } from "../random/rng.ts";
import type { SimRedisPort } from "./sim-redis-port.ts";
import { SimTimers } from "./sim-time.ts";

const REGISTER_ATTEMPTS = 10;

/** What a dedicated server shares with the world: every game any server created, in creation order and by id. */
export interface GameLedger {
  created(game: CreatedGame): void;
  game(session: string): CreatedGame | undefined;
}

/** A dedicated server: the real request logic of src/dedicated on a simulated Redis connection and timers. */
export class SimDedicatedServer {
  /** Games this server created, in creation order. */
  readonly games: CreatedGame[] = [];
  private readonly server: DedicatedServer;

  constructor(
    readonly id: string,
    readonly address: string,
    variant: Variant,
    private readonly now: () => number,
    rng: Rng,
    redis: SimRedisPort,
    steps: PendingSteps,
    /** How long its games last, or null when they never end. */
    readonly gameLengthMs: number | null,
    private readonly ledger: GameLedger,
  ) {
    // The real server logs `game_over` when a game's length has run out: the moment its release begins.
    const logger: Logger = {
      log: (_level, event, fields) => {
        const game = event === "game_over" && typeof fields?.session_id === "string" ? this.ledger.game(fields.session_id) : undefined;
        if (game) game.endedAt = this.now();
      },
    };
    const lane = `ds:${id}`;
    this.server = new DedicatedServer({
      variant,
      id,
      address,
      random: { uuid: () => rng.uuid(), token: () => rng.token() },
      redis,
      logger,
      ...(gameLengthMs === null ? {} : { games: { lengthMs: gameLengthMs, timers: new SimTimers(steps, lane, lane) } }),
    });
  }

  /** Registers like a real server's start-up would: a lost command is retried, a bounded number of times. */
  async register(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.server.register();
      } catch (error) {
        if (attempt >= REGISTER_ATTEMPTS) throw error;
      }
    }
  }

  async handle(body: string, headers: Record<string, string>): Promise<HttpResponse> {
    const reply = await this.server.handleCreateSession(body, headers);
    if (reply.status === 200) {
      const parsed = JSON.parse(reply.body) as { session_id: string; server_address: string };
      if (this.ledger.game(parsed.session_id) === undefined) {
        const players = (JSON.parse(body) as { players: string[] }).players;
        const game: CreatedGame = {
          server: this.id,
          address: this.address,
          session: parsed.session_id,
          gameAddress: parsed.server_address,
          players,
          createdAt: this.now(),
          endedAt: null,
        };
        this.games.push(game);
        this.ledger.created(game);
      }
    }
    return reply;
  }
}
