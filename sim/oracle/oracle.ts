import type { MatchConfig } from "../../src/config/config.ts";
import type { Player } from "../players/player.ts";
import type { InvariantName, Violation } from "./invariants.ts";
import { placementsOf, placesOf, type ServerView } from "./server-view.ts";

/** Limits the oracle judges by, derived from the run's config and faults. */
export interface OracleBounds {
  /** How long a live session may exist before it is an orphan. */
  sessionLifetimeMs: number;
  /** A ready signal must reach the server this long before the deadline to be owed a match. */
  readyGraceMs: number;
}

export function boundsFor(config: MatchConfig, maxPauseMs: number): OracleBounds {
  const sweep = Math.max(config.staleSweepMs, config.matchTickMs);
  return {
    sessionLifetimeMs:
      config.loadingTimeoutMs + config.allocationTimeoutMs + config.allocationRequestTimeoutMs + sweep + maxPauseMs + 10_000,
    readyGraceMs: 5_000,
  };
}

export interface OracleOptions {
  /**
   * How long a game lasts from its creation, for runs whose dedicated servers host one game after another (the
   * real swarm). A game was created after its players' ready signals reached the server and before the first
   * match_found arrived; two games on one server are a double allocation only when, wherever they started in
   * those windows, they overlapped. Absent: games never end, and a second game on a server is one.
   */
  gameLengthMs?: number;
  /**
   * The games a dedicated server (by address) created, with their players and when: lets the oracle excuse a
   * busy server whose players all left after the match was made, unknown to the server when it allocated (the
   * game server's own idle timeout is then what frees it). Absent (real runs): no excuse is made.
   */
  gamesOn?: (address: string) => ReadonlyArray<{ players: readonly string[]; createdAt: number }>;
}

/**
 * A timeout may reach a client this much before the deadline the oracle computes: legacy truncates created_at to
 * whole seconds, and the oracle sees a session one step after it was written.
 */
const EARLY_TIMEOUT_TOLERANCE_MS = 2_000;

/** Where the DS named in a match_found's address lives: `ws://host:port/...` -> `host:port`. */
function serverOf(address: string): string {
  return /^[a-z]+:\/\/([^/?]+)/.exec(address)?.[1] ?? address;
}

/**
 * Judges a run against DESIGN section 5: safety properties after every step, the rest at the end. It reads
 * the server's Redis through a variant's reader and the clients' experience from the simulated players, and
 * never trusts the server's own account of itself.
 */
export class Oracle {
  readonly violations: Violation[] = [];
  private readonly seen = new Set<string>();
  private readonly sessionFirstSeen = new Map<string, { at: number; members: string[]; key: string }>();
  private readonly announced = new Map<string, Set<string>>();
  /** Server -> game session -> when it was created at the earliest and first announced. */
  private readonly games = new Map<string, Map<string, { from: number; announced: number }>>();
  private readonly players: Map<string, Player>;

  constructor(
    players: readonly Player[],
    private readonly config: MatchConfig,
    private readonly bounds: OracleBounds,
    private readonly options: OracleOptions = {},
  ) {
    this.players = new Map(players.map((player) => [player.id, player]));
  }

  private report(invariant: InvariantName, dedupe: string, violation: Omit<Violation, "invariant">): void {
    const key = `${invariant}:${dedupe}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push({ invariant, ...violation });
  }

  escaped(step: number, at: number, instance: string, handler: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.report("no-crash", `${instance}:${handler}`, {
      message: `${handler} on ${instance} threw "${message}": the instance died`,
      step,
      at,
      players: [],
      keys: [],
    });
  }

  /** A client received match_found: at most one session per player, at most one session per server. */
  matchReceived(step: number, at: number, player: Player): void {
    const sessions = new Set(player.matches.map((match) => match.session));
    if (sessions.size > 1) {
      this.report("no-double-match", `matches:${player.id}`, {
        message: `player ${player.id} received match_found for ${sessions.size} sessions: ${[...sessions].join(", ")}`,
        step,
        at,
        players: [player.id],
        keys: [],
      });
    }
    const last = player.matches[player.matches.length - 1];
    if (!last) return;
    const server = serverOf(last.address);
    const hosted = this.announced.get(server) ?? new Set<string>();
    hosted.add(last.session);
    this.announced.set(server, hosted);
    const games = this.games.get(server) ?? new Map<string, { from: number; announced: number }>();
    const game = games.get(last.session) ?? { from: Number.NEGATIVE_INFINITY, announced: at };
    game.from = Math.max(game.from, this.readyBefore(player, last.session));
    game.announced = Math.min(game.announced, at);
    games.set(last.session, game);
    this.games.set(server, games);
    const overlapping = this.overlapping(games, last.session);
    if (overlapping.size > 1) {
      const players = [...this.players.values()]
        .filter((candidate) => candidate.matches.some((match) => overlapping.has(match.session)))
        .map((candidate) => candidate.id);
      this.report("single-allocation", `server:${server}`, {
        message: `dedicated server ${server} was announced for ${overlapping.size} game sessions at once: ${[...overlapping].join(", ")}`,
        step,
        at,
        players,
        keys: [],
      });
    }
  }

  /** When this player's ready signal for the loading session that became `game` reached the server. */
  private readyBefore(player: Player, game: string): number {
    const episode = player.episodes.find((each) => each.outcome?.kind === "matched" && each.outcome.text === game);
    return episode?.readyDeliveredAt ?? Number.NEGATIVE_INFINITY;
  }

  /** The games on one server that were certainly running together with `session`, itself included. */
  private overlapping(games: ReadonlyMap<string, { from: number; announced: number }>, session: string): Set<string> {
    const { gameLengthMs } = this.options;
    if (gameLengthMs === undefined) return new Set(games.keys());
    const game = games.get(session);
    if (!game) return new Set();
    // Created in [from, announced] each: they overlap for sure when even the farthest-apart starts do.
    return new Set(
      [...games]
        .filter(([id, other]) => id === session || Math.max(game.announced - other.from, other.announced - game.from) < gameLengthMs)
        .map(([id]) => id),
    );
  }

  /** Safety properties that must hold after every step. */
  afterStep(step: number, at: number, view: ServerView): void {
    for (const [id, places] of placementsOf(view)) {
      const player = this.players.get(id);
      if (!player) continue;
      const inGame = player.view.state === "matched" ? 1 : 0;
      if (places.length + inGame > 1) {
        this.report("no-double-match", `places:${player.id}:${places.join(",")}:${inGame}`, {
          message: `player ${player.id} is placed ${places.length + inGame} times at once: ${[
            ...places,
            ...(inGame ? [`game ${player.matches[player.matches.length - 1]?.session ?? ""}`] : []),
          ].join(", ")}`,
          step,
          at,
          players: [player.id],
          keys: places,
        });
      }
    }
    for (const session of view.sessions.values()) {
      let first = this.sessionFirstSeen.get(session.id);
      if (!first) {
        first = { at, members: session.members, key: session.key };
        this.sessionFirstSeen.set(session.id, first);
      }
      if (at - first.at > this.bounds.sessionLifetimeMs) {
        this.report("no-orphaned-session", `lifetime:${session.id}`, {
          message: `loading session ${session.id} (status ${session.status}) is still live ${Math.round((at - first.at) / 1000)} s after it was created; its deadline was ${this.config.loadingTimeoutMs / 1000} s`,
          step,
          at,
          players: session.members,
          keys: [session.key],
        });
      }
    }
    for (const lock of view.locks) {
      if (lock.pttl < 0 || lock.pttl > this.config.lockDurationMs) {
        this.report("no-orphaned-session", `lock:${lock.key}`, {
          message: `lock ${lock.key} has ${lock.pttl < 0 ? "no expiry" : `${lock.pttl} ms to live, more than its ${this.config.lockDurationMs} ms`}`,
          step,
          at,
          players: [],
          keys: [lock.key],
        });
      }
    }
  }

  /** The end-state checks, once the world has settled. */
  atEnd(step: number, at: number, view: ServerView): void {
    this.afterStep(step, at, view);
    this.checkPlayersAccountedFor(step, at, view);
    this.checkSessionsHaveOwners(step, at, view);
    this.checkReadyRespected(step, at, view);
    this.checkEventualMatch(step, at, view);
  }

  private checkPlayersAccountedFor(step: number, at: number, view: ServerView): void {
    for (const player of this.players.values()) {
      const places = placesOf(view, player.id);
      const state = player.view.state;
      let problem: string | null = null;
      if (!player.connected) {
        if (places.length > 0) problem = `is disconnected but still held in ${places.join(", ")}`;
      } else if (state === "awaiting") {
        problem = "asked to play and never got an answer";
      } else if (state === "queued") {
        if ((view.queued.get(player.id)?.length ?? 0) === 0) {
          problem = places.length === 0 ? "believes it is queued but is in no queue" : `believes it is queued but is held in ${places.join(", ")}`;
        }
      } else if (state === "loading") {
        const session = view.sessions.get(player.view.session);
        if (!session || !session.members.includes(player.id)) {
          problem = `believes it is loading session ${player.view.session}, which ${session ? "does not hold it" : "no longer exists"}${places.length ? `; it is held in ${places.join(", ")}` : ""}`;
        }
      } else if (places.length > 0) {
        problem = `${state === "matched" ? "is in a game" : "is not asking to play"} but is held in ${places.join(", ")}`;
      }
      if (problem) {
        this.report("no-lost-player", `end:${player.id}`, {
          message: `player ${player.id} (${player.behaviour}) ${problem}`,
          step,
          at,
          players: [player.id],
          keys: places,
        });
      }
    }
  }

  private checkSessionsHaveOwners(step: number, at: number, view: ServerView): void {
    for (const session of view.sessions.values()) {
      const live = session.members.filter((member) => this.players.get(member)?.connected);
      if (live.length === 0) {
        this.report("no-orphaned-session", `members:${session.id}`, {
          message: `loading session ${session.id} outlived every member: none of ${session.members.join(", ")} is connected`,
          step,
          at,
          players: session.members,
          keys: [session.key],
        });
      }
    }
    for (const server of view.servers) {
      if (server.status === "idle" || server.status === "unreadable") continue;
      const hosted = this.announced.get(server.address);
      if (server.status === "busy" && hosted === undefined && this.abandonedAfterAllocation(server.address)) continue;
      if (server.status !== "busy" || !hosted || hosted.size === 0) {
        this.report("no-orphaned-session", `server:${server.id}`, {
          message: `dedicated server ${server.id} (${server.address}) is ${server.status} but no player was ever told match_found for it`,
          step,
          at,
          players: [],
          keys: [server.key],
        });
      }
    }
  }

  /**
   * Every game on the server lost all its players, each of whom either left unheard until the game existed, or
   * had sent loading_complete before leaving: the server was right to allocate for a player who was ready, and
   * an instance that hears its close cannot stop an allocation another instance has already begun (the leave
   * reaches Redis a round trip later, which a schedule can make as late as it likes). Only the game server can
   * reap such a game.
   */
  private abandonedAfterAllocation(address: string): boolean {
    const games = this.options.gamesOn?.(address) ?? [];
    return (
      games.length > 0 &&
      games.every((game) =>
        game.players.every((id) => {
          const player = this.players.get(id);
          if (!player || player.connected) return false;
          const heard = player.connection?.serverClosedAt ?? null;
          const ready = player.episodes.at(-1)?.readyDeliveredAt ?? null;
          return heard === null || heard >= game.createdAt || (ready !== null && ready <= heard);
        }),
      )
    );
  }

  private checkReadyRespected(step: number, at: number, view: ServerView): void {
    for (const [session, first] of this.sessionFirstSeen) {
      const deadline = first.at + this.config.loadingTimeoutMs;
      const members = first.members.map((id) => this.players.get(id)).filter((player) => player !== undefined);
      const episodes = members.map((player) => ({
        player,
        // A player who reconnected and resumed the session lives its latest episode of it.
        episode: player.episodes.findLast((episode) => episode.session === session),
      }));
      for (const { player, episode } of episodes) {
        const outcome = episode?.outcome;
        if (outcome?.kind !== "timed-out" || outcome.at >= deadline - EARLY_TIMEOUT_TOLERANCE_MS) continue;
        this.report("ready-respected", `early:${session}:${player.id}`, {
          message: `player ${player.id} was told loading session ${session} timed out at ${(outcome.at / 1000).toFixed(1)} s, ${((deadline - outcome.at) / 1000).toFixed(1)} s before its deadline (${(deadline / 1000).toFixed(1)} s)`,
          step,
          at,
          players: [player.id],
          keys: [first.key],
        });
      }
      // A member who vanished without the server hearing of it in time (its instance died, its network
      // dropped) leaves a session that can only end by its deadline: a timeout is then the honest answer.
      const vanished = episodes.some(({ episode }) => {
        if (!episode || episode.disconnectedAt === null || episode.readyDeliveredAt !== null) return false;
        const heard = episode.connection?.serverClosedAt ?? null;
        return heard === null || heard > deadline - this.bounds.readyGraceMs;
      });
      if (vanished) continue;
      // Whose readiness counts: the members still there at the deadline (one who left later was present).
      const present = episodes.filter(({ player, episode }) =>
        episode ? episode.disconnectedAt === null || episode.disconnectedAt > deadline : player.connected,
      );
      if (present.length === 0) continue;
      const allReady = present.every(
        ({ episode }) => episode?.readyDeliveredAt != null && episode.readyDeliveredAt <= deadline - this.bounds.readyGraceMs,
      );
      if (!allReady) continue;
      // Whose answer is judged: the members whose connection lasted to the end of the episode (one whose
      // connection closed heard its answer, if any, on the next one).
      const connected = present.filter(({ player, episode }) => (episode ? episode.disconnectedAt === null : player.connected));
      for (const { player, episode } of connected) {
        const outcome = episode?.outcome;
        if (outcome && (outcome.kind === "matched" || outcome.kind === "requeued")) continue;
        if (!outcome && !player.connected) continue;
        // Still live and within its lifetime: in flight when the run ended, not silent (no-orphaned-session
        // judges a session that stays too long).
        if (!outcome && view.sessions.has(session) && at - first.at <= this.bounds.sessionLifetimeMs) continue;
        const what = outcome ? `ended in ${outcome.kind === "timed-out" ? "a timeout" : `"${outcome.text}"`}` : "never ended: the client heard nothing more";
        this.report("ready-respected", `ready:${session}:${player.id}`, {
          message: `every member of loading session ${session} still there at its deadline sent loading_complete in time (${present
            .map(({ player: member, episode: e }) => `${member.id} at ${Math.round((e?.readyDeliveredAt ?? 0) / 1000)} s`)
            .join(", ")}; deadline ${Math.round(deadline / 1000)} s), yet for ${player.id} it ${what}`,
          step,
          at,
          players: present.map(({ player: member }) => member.id),
          keys: [first.key],
        });
      }
    }
  }

  private checkEventualMatch(step: number, at: number, view: ServerView): void {
    const idle = view.servers.filter((server) => server.status === "idle").length;
    if (idle === 0) return;
    for (const mode of this.config.gameModes) {
      const waiting = [...this.players.values()].filter(
        (player) => player.mode === mode.name && player.willing && player.view.state !== "matched",
      );
      if (waiting.length >= mode.requiredPlayers) {
        this.report("eventual-match", `mode:${mode.name}`, {
          message: `after settling, ${waiting.length} connected willing players of ${mode.name} are unmatched (${waiting
            .map((player) => `${player.id}: ${player.view.state}`)
            .join(", ")}) while ${idle} dedicated server(s) are idle`,
          step,
          at,
          players: waiting.map((player) => player.id),
          keys: [],
        });
      }
    }
  }
}
