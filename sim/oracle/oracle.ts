import type { MatchConfig } from "../../src/config/config.ts";
import type { Player } from "../players/player.ts";
import { boundsFor, type OracleBounds, type OracleOptions } from "./bounds.ts";
import type { Checker, CheckerHooks, CheckPoint, CheckRun, Finding, ReadOnlyRedis } from "./checker.ts";
import type { Violation } from "./invariants.ts";
import { Observations } from "./observations.ts";
import { CHECKERS } from "./registry.ts";
import type { ServerView } from "./server-view.ts";
import type { Happened } from "./step-evidence.ts";

export { boundsFor };
export type { OracleBounds, OracleOptions };

export interface OracleExtras {
  /** Checkers a scenario file brings, run after the built-in ones. */
  checkers?: readonly Checker[];
  /** Redis as the checkers may read it (simulated runs). */
  redis?: ReadOnlyRedis;
}

/**
 * Judges a run against DESIGN section 5, one checker per invariant (`sim/oracle/checkers/`): safety after every
 * step, the rest at the end. It reads the server's Redis through a variant's reader and the clients'
 * experience from the simulated players, and never trusts the server's own account of itself.
 */
export class Oracle {
  readonly violations: Violation[] = [];
  private readonly seen = new Set<string>();
  private readonly observed: Observations;
  private readonly hooks: CheckerHooks[];
  private readonly afterSteps: CheckerHooks[];
  private readonly onMatch: CheckerHooks[];

  constructor(players: readonly Player[], config: MatchConfig, bounds: OracleBounds, options: OracleOptions = {}, extras: OracleExtras = {}) {
    const byId = new Map(players.map((player) => [player.id, player]));
    this.observed = new Observations(byId, options.world);
    const checkers = [...CHECKERS, ...(extras.checkers ?? [])];
    this.hooks = checkers.map((checker) => {
      const run: CheckRun = {
        players: byId,
        config,
        bounds,
        options,
        observed: this.observed,
        ...(extras.redis ? { redis: extras.redis } : {}),
        report: (point, dedupe, finding) => this.report(checker.name, point, dedupe, finding),
      };
      return checker.create(run);
    });
    this.afterSteps = this.hooks.filter((hooks) => hooks.afterStep !== undefined);
    this.onMatch = this.hooks.filter((hooks) => hooks.matchReceived !== undefined);
  }

  private report(invariant: string, point: CheckPoint, dedupe: string, finding: Finding): void {
    const key = `${invariant}:${dedupe}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { message, players, keys, kind } = finding;
    this.violations.push({ invariant, ...(kind === undefined ? {} : { kind }), message, step: point.step, at: point.at, players, keys });
  }

  escaped(step: number, at: number, instance: string, handler: string, error: unknown): void {
    for (const hooks of this.hooks) hooks.escaped?.({ step, at }, instance, handler, error);
  }

  /** A client received match_found. */
  matchReceived(step: number, at: number, player: Player): void {
    this.observed.sawMatch(player);
    for (const hooks of this.onMatch) hooks.matchReceived?.({ step, at }, player);
  }

  /**
   * Safety properties that must hold after every step. `happened` is the step itself, when the world can say (a
   * simulated run): the causal record several checkers judge by.
   */
  afterStep(step: number, at: number, view: ServerView, happened?: Happened): void {
    const point = { step, at };
    if (happened) this.observed.sawStep(point, happened);
    this.observed.sawView(point, view);
    for (const hooks of this.afterSteps) hooks.afterStep?.(point, view);
  }

  /** The end-state checks, once the world has settled. */
  atEnd(step: number, at: number, view: ServerView): void {
    this.afterStep(step, at, view);
    for (const hooks of this.hooks) hooks.atEnd?.({ step, at }, view);
  }
}
