import type { MatchConfig } from "../../src/config/config.ts";
import { losesInstances } from "../faults/registry.ts";
import { holdsNoSession, type ServerView } from "../oracle/server-view.ts";
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
  ) {}

  /**
   * Nothing is left for the server to do: no client waits on an answer, and either every server is taken
   * (players may cycle through loading and "no server" forever; the end checks judge what is in flight as in
   * flight) or no session is live, nobody is loading and no mode has enough willing players for a match. A
   * server is taken only when Redis offers none and no server process is free either: a free one that Redis
   * does not list (its registration lost with Redis's data, or its game just over) registers again soon.
   */
  quiet(): boolean {
    if (this.players.some((player) => player.connected && player.view.state === "awaiting")) return false;
    const view = this.view();
    // A client gone without a word is still held by the server until its heartbeat timeout: then its leave runs.
    if (this.players.some((player) => player.connections.some((connection) => !connection.clientOpen && connection.heldByServer === true))) return false;
    // Loading a session Redis no longer holds live, a client waits for whatever sweep meets it, servers or not.
    if (this.players.some((player) => player.connected && player.view.state === "loading" && !view.sessions.has(player.view.session))) return false;
    if (!view.servers.some(holdsNoSession) && this.freeServers() === 0) return true;
    if (view.sessions.size > 0) return false;
    if (this.players.some((player) => player.connected && player.view.state === "loading")) return false;
    return this.config.gameModes.every(
      (mode) =>
        this.players.filter((player) => player.mode === mode.name && player.willing && player.view.state !== "matched").length <
        mode.requiredPlayers,
    );
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

const IN_FLIGHT: ReadonlySet<StepKind> = new Set<StepKind>(["redis", "deliver", "frame-in", "frame-out", "close", "http-request", "http-reply", "http-timeout"]);

/** What the drain lets finish once the servers stopped: deliveries already on their way, not new actions. */
export function inFlight(step: { kind: StepKind }): boolean {
  return IN_FLIGHT.has(step.kind);
}
