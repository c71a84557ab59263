import type { MatchConfig } from "../../src/config/config.ts";
import type { ProbeCatalog } from "../../src/probes/catalog.ts";
import type { ScriptCases } from "../redis/conformance/script-cases/case.ts";
import type { SimulatedRedis } from "../redis/contract.ts";
import type { Rng } from "../random/rng.ts";
import type { ReadOnlyRedis } from "../oracle/checker.ts";
import type { Violation } from "../oracle/invariants.ts";
import type { KeyspaceSource, ServerView } from "../oracle/server-view.ts";
import type { TraceGraph } from "../report/trace-graph.ts";

/** One of the seed defects (POTENTIAL_BUGS.en.md) a failure was recognised as, in one clause. */
export interface SeedDefect {
  defect: number;
  name: string;
}

/** What a variant may read to recognise a seed defect: the violation and its causal slice. */
export interface CauseFacts {
  violation: Violation;
  /** The slice's steps (indices into the graph's steps) and the players it involves. */
  steps: readonly number[];
  players: readonly string[];
  graph: TraceGraph;
}

/**
 * What a re-queue error says happened: no dedicated server was idle, allocating one failed, another member left,
 * or the loading deadline passed.
 */
export type RequeueReason = "no-server" | "allocation-failed" | "member-left" | "timed-out";

/** A foreign writer's access to Redis: commands straight to the engine, outside any connection or step. */
export type ForeignRedis = Pick<SimulatedRedis, "execute">;

/** An operator's counts, by flat name (`servers.live`): what a variant's stats command reports. */
export type OperatorCounts = Readonly<Record<string, number>>;

/** A variant's stats command for operators, and the oracle's own count of the same things. */
export interface OperatorStats {
  /** What the command reports for one instance, run as an operator runs it; a reply it cannot parse, in words. */
  reported(redis: ForeignRedis, instance: string): OperatorCounts | string;
  /** The same counts by the oracle's reading of the layout, at Redis time `now` (ms). */
  counted(redis: ReadOnlyRedis, instance: string, now: number): OperatorCounts;
}

/**
 * What the harness knows of one server variant, in one place: how to read its Redis into the oracle's terms,
 * what a foreign writer corrupts in its layout, and its scripts' conformance cases. Keys are built through the
 * variant's own key module, never spelled here.
 */
export interface VariantKit {
  /** The variant's Redis contents in the terms the invariants speak: who is where. */
  readView(redis: KeyspaceSource, config: MatchConfig): ServerView;
  /**
   * Writes one piece of foreign data where the server reads, never into a real player's or server's records, and
   * says what it wrote: garbage (an id that is not a UUID, JSON that is not JSON) or a plausible record whose
   * every field is well formed while the state is inconsistent (a server listed idle that is not). `servers` are
   * the world's dedicated servers' addresses, which a plausible record may name.
   */
  corrupt(redis: ForeignRedis, config: MatchConfig, rng: Rng, servers: readonly string[]): string;
  /**
   * Publishes one payload that is not the variant's contract on a channel its instances listen on (`instances`:
   * the live instances' ids), and says what it published: text that is not JSON, JSON of another shape, or the
   * contract's envelope around a message no server sends. Never a well-formed notification: the channels carry no
   * sender, so a well-formed lie is indistinguishable from the truth to any server, and no design can refuse it.
   */
  publishGarbage(redis: ForeignRedis, rng: Rng, instances: readonly string[]): string;
  /**
   * What an error that ends a loading episode claims, in this variant's words: a re-queue's reason, or a timeout
   * that re-queues no one (fixed tells a member not ready when its session expired to enqueue again); null for
   * any other text.
   */
  requeueReason(text: string): RequeueReason | null;
  /** How long before its deadline this variant may time a session out: how coarse its deadlines are, in ms. */
  earlyTimeoutToleranceMs: number;
  /**
   * A key that nearly every step touches (a queue, a counter, a pool): naming it says nothing about one failure,
   * so reports do not follow it.
   */
  sharedKey(key: string, config: MatchConfig): boolean;
  /** The key of a dedicated server's record, by the server's id. */
  serverKey(id: string): string;
  /** A lock key: taking one is a step worth telling, holding one past its owner a violation. */
  lockKey(key: string): boolean;
  /** Every probe a run of this variant can hit (its match server's and its dedicated servers'), registered up front. */
  probes: ProbeCatalog;
  /** Every Lua script of the variant, with its generator of pre-states and inputs for the conformance suite. */
  scriptCases: readonly ScriptCases[];
  /** The variant's stats command, when it has one (fixed): the world runs it once the run is over. */
  operatorStats?: OperatorStats;
  /** Which seed defect a failure is, when the variant has them (legacy) and this one is recognised. */
  seedDefect?(facts: CauseFacts): SeedDefect | null;
}
