import type { MatchConfig } from "../../src/config/config.ts";
import { losesInstances, stallMs } from "../faults/registry.ts";
import { boundsFor } from "../oracle/bounds.ts";
import { holdsNoSession, placesOf, type ServerView } from "../oracle/server-view.ts";
import type { Player } from "../players/player.ts";
import type { PendingSteps } from "../scheduler/pending-steps.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { StepKind } from "../trace/events.ts";

/**
 * When a run's phases end. Active: players act and faults strike, until the options' activeMs or until nothing
 * only it brings is left. Settle: no fault strikes, every timeout and sweep gets its turn, until the world is
 * quiet (or maxSettleMs). Drain: the servers have stopped, what is already on its way lands. Then the end checks.
 */
export class PhasePolicy {
  constructor(
    private readonly options: WorldOptions,
    private readonly config: MatchConfig,
    private readonly steps: PendingSteps,
    private readonly players: readonly Player[],
    private readonly view: () => ServerView,
    /** Some per-operation fault rate is above zero: the active phase may still strike anything it runs. */
    private readonly faultRates: boolean,
    /** Dedicated server processes up and hosting no game, by the world's account (see WorldFacts.freeServers). */
    private readonly freeServers: () => number,
    /** Some dedicated server's release is still under way (see Cluster.serversReleasing). */
    private readonly serversReleasing: () => boolean,
  ) {
    this.heldWaitMs = boundsFor(config, stallMs(options)).sessionLifetimeMs;
  }

  /** The longest the world waits for the server to free a player gone but held (see waitingForHeld), ms. */
  private readonly heldWaitMs: number;
  /** Since when (virtual ms) the world has been waiting for that, null while no such player is held. */
  private heldSince: number | null = null;

  /**
   * Nothing is left for the server to do: no client waits on an answer, and either every server is taken
   * (players may cycle through loading and "no server" forever; the end checks judge what is in flight as in
   * flight) or no session is live, nobody is loading and no mode has enough willing players for a match. A
   * server is taken only when Redis offers none and no server process is free either: a free one that Redis
   * does not list (its registration lost with Redis's data, or its game just over) registers again soon.
   */
  quiet(): boolean {
    // A release still retrying decides whether its server is offered again: the end checks judge that server.
    if (this.serversReleasing()) return false;
    if (this.players.some((player) => player.connected && player.view.state === "awaiting")) return false;
    const view = this.view();
    // A client gone without a word is still held by the server until its heartbeat timeout: then its leave runs.
    if (this.players.some((player) => player.connections.some((connection) => !connection.clientOpen && connection.heldByServer === true))) return false;
    // Loading a session Redis no longer holds live, a client waits for whatever sweep meets it, servers or not.
    if (this.players.some((player) => player.connected && player.view.state === "loading" && !view.sessions.has(player.view.session))) return false;
    // Every server taken ends the wait, unless what is left in flight will end on its own: an allocation holding
    // a server (its commit or its session's deadline decides that server's fate), or a player gone but still held
    // (its leave, the reaper, or the session's deadline when a spoiled record hid it from both). The end checks
    // judge what those came to, not a moment before.
    if (!view.servers.some(holdsNoSession) && this.freeServers() === 0 && !allocating(view) && !this.waitingForHeld(view)) return true;
    if (view.sessions.size > 0) return false;
    if (this.players.some((player) => player.connected && player.view.state === "loading")) return false;
    return this.config.gameModes.every(
      (mode) =>
        this.players.filter((player) => player.mode === mode.name && player.willing && player.view.state !== "matched").length <
        mode.requiredPlayers,
    );
  }

  /**
   * Some player with no open connection is still queued or in a session, and has been for less than a session's
   * whole lifetime: by then every sweep that could free it has run, and a server that still holds it never will.
   */
  private waitingForHeld(view: ServerView): boolean {
    if (!this.players.some((player) => !player.connected && placesOf(view, player.id).length > 0)) {
      this.heldSince = null;
      return false;
    }
    this.heldSince ??= this.steps.now;
    return this.steps.now - this.heldSince < this.heldWaitMs;
  }

  /**
   * Nothing is left that only the active phase brings: every fault event struck, no instance is paused, no
   * fault rate would strike what remains, and every player's program has run its course (no action planned,
   * and the world is quiet). Ending the phase here ends nothing but idle time: the settle phase that follows
   * runs its full minimum, long enough for every timeout and sweep.
   */
  activeOver(): boolean {
    return (
      !this.faultRates &&
      this.steps.pending("client") === 0 &&
      this.steps.pending("fault") === 0 &&
      !this.steps.anyPaused() &&
      this.quiet()
    );
  }

  /**
   * How long the settle phase must give a lost instance's leftovers: its presence lapses after instanceTtlMs,
   * and the survivors' presence job, every presenceIntervalMs, reaps it; two rounds of that job leave room for
   * the order in which instances run it. Zero when no instance can be lost.
   */
  reapingMs(): number {
    if (!losesInstances(this.options)) return 0;
    return this.config.instanceTtlMs + 2 * this.config.presenceIntervalMs;
  }
}

/** Some live session is allocating a server. */
function allocating(view: ServerView): boolean {
  for (const session of view.sessions.values()) if (session.status === "allocating") return true;
  return false;
}

const IN_FLIGHT: ReadonlySet<StepKind> = new Set<StepKind>(["redis", "deliver", "frame-in", "frame-out", "close", "http-request", "http-reply", "http-timeout"]);

/** What the drain lets finish once the servers stopped: deliveries already on their way, not new actions. */
export function inFlight(step: { kind: StepKind }): boolean {
  return IN_FLIGHT.has(step.kind);
}
