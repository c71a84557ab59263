import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import type { MatchConfig } from "../../src/config/config.ts";
import { parseClientFrame } from "../../src/protocol/index.ts";
import type { Variant } from "../../src/server/match-server.ts";
import type { Violation } from "../oracle/invariants.ts";
import { boundsFor, Oracle } from "../oracle/oracle.ts";
import { KITS } from "../variants/index.ts";
import type { ServerView } from "../oracle/server-view.ts";
import { BEHAVIOURS, isWilling, type Behaviour, type BehaviourMix } from "../players/behaviour.ts";
import { Player, type PlayerHost } from "../players/player.ts";
import { Rng } from "../random/rng.ts";
import { snapshotRedis } from "./redis-snapshot.ts";
import { WsPlayerConnection, type ConnectionObserver } from "./ws-connection.ts";

export interface SwarmOptions {
  /** Match-server WebSocket URLs (`ws://host:port/ws/`); players connect to them in turn. */
  urls: string[];
  players: number;
  mix: BehaviourMix;
  /** The servers' variant and config: the checker reads their Redis layout and judges by their timeouts. */
  variant: Variant;
  config: MatchConfig;
  redisUrl: string;
  seed: string;
  /** Multiplies every behaviour delay (loading, quitting, reconnecting), so slow loaders fit in a test. */
  timeScale: number;
  /** Players join spread over this long, in real ms. */
  rampMs: number;
  /** After the ramp, the longest wait for the world to settle before the end check. */
  settleMs: number;
  /** How often Redis is snapshotted for the checks that hold at every instant. */
  checkEveryMs: number;
  /** The dedicated servers' game length (their `--game-ms`); absent: games never end. */
  gameMs?: number;
  /**
   * Redis may be restarted during the run (a chaos test): the checker reconnects, and a snapshot that cannot be
   * taken meanwhile is skipped, not judged. Absent: a snapshot that cannot be taken fails the run.
   */
  redisOutages?: boolean;
  onProgress?: (progress: SwarmProgress) => void;
}

export interface SwarmProgress {
  players: number;
  started: number;
  connected: number;
  matched: number;
  errors: number;
  elapsedMs: number;
}

export interface SwarmResult {
  players: number;
  /** Players who wanted a match to the end: matched, or never gave up (connected or still trying to connect). */
  willing: number;
  /** Players who received match_found. */
  matched: number;
  /** Willing players never matched. */
  unmatched: number;
  /** Socket failures and unparseable server messages. */
  errors: number;
  errorSamples: string[];
  elapsedMs: number;
  /** Matched players per second, from the start to the last match_found. */
  playersPerSecond: number;
  /** First enqueue written to first match_found received, per matched player. */
  latencyMs: { p50: number; p99: number; max: number } | null;
  /** Whether the world settled (nothing in flight, every willing player matched) before settleMs ran out. */
  settled: boolean;
  behaviours: Partial<Record<Behaviour, number>>;
  violations: Violation[];
}

const CLOSE_WAIT_MS = 5_000;
const OUTAGE_RETRY_MS = 100;
const PROGRESS_EVERY_MS = 250;
const ERROR_SAMPLES = 5;

/** Exactly round(n * share) players per behaviour (largest remainders), in a seeded order. */
export function assignBehaviours(mix: BehaviourMix, count: number, rng: Rng): Behaviour[] {
  const entries = BEHAVIOURS.map((behaviour) => [behaviour, mix[behaviour] ?? 0] as const).filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return Array.from({ length: count }, () => "normal");
  const shares = entries.map(([behaviour, weight]) => ({ behaviour, exact: (count * weight) / total }));
  const counts = shares.map((share) => Math.floor(share.exact));
  const order = shares.map((share, index) => ({ index, rest: share.exact - Math.floor(share.exact) })).sort((a, b) => b.rest - a.rest);
  for (let left = count - counts.reduce((sum, n) => sum + n, 0), i = 0; left > 0; left--, i++) {
    const at = order[i % order.length]?.index ?? 0;
    counts[at] = (counts[at] ?? 0) + 1;
  }
  const list = shares.flatMap((share, index) => Array.from({ length: counts[index] ?? 0 }, () => share.behaviour));
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [list[i], list[j]] = [list[j] as Behaviour, list[i] as Behaviour];
  }
  return list;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Real WebSocket players with the simulation's behaviours against running match servers, judged by the
 * simulation's oracle: every match_found as it arrives, Redis snapshots while they play, and the end-state
 * checks once the world has settled.
 */
export async function runSwarm(options: SwarmOptions): Promise<SwarmResult> {
  const started = performance.now();
  const now = () => performance.now() - started;
  const rng = new Rng(`swarm:${options.seed}`);
  const timers = new Set<NodeJS.Timeout>();
  const connections = new Set<WsPlayerConnection>();
  const enqueuedAt = new Map<Player, number>();
  const matchesSeen = new Map<Player, number>();
  const errorSamples: string[] = [];
  let errors = 0;
  let step = 0;
  let stopped = false;
  let next = 0;
  let lastMatchAt = 0;

  /** Counts what changes a client's view; a snapshot during which it moved is not compared with the views. */
  let clientEvents = 0;

  const later = (delayMs: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      clientEvents++;
      if (!stopped) action();
    }, delayMs);
    timers.add(timer);
  };

  const failed = (text: string) => {
    errors++;
    if (errorSamples.length < ERROR_SAMPLES) errorSamples.push(text);
  };

  const unparseableSeen = new Map<Player, number>();
  const observer: ConnectionObserver = {
    sent: (player, text) => {
      const frame = parseClientFrame(text);
      if (frame.ok && frame.value.type === "enqueue" && !enqueuedAt.has(player)) enqueuedAt.set(player, now());
    },
    received: (player) => {
      clientEvents++;
      const unparseable = player.errors.filter((error) => error.startsWith("unparseable message")).length;
      if (unparseable > (unparseableSeen.get(player) ?? 0)) {
        unparseableSeen.set(player, unparseable);
        failed(`${player.id}: ${player.errors[player.errors.length - 1] ?? ""}`);
      }
      if (player.matches.length > (matchesSeen.get(player) ?? 0)) {
        matchesSeen.set(player, player.matches.length);
        lastMatchAt = now();
        oracle.matchReceived(step++, lastMatchAt, player);
      }
    },
    failed: (player, error) => failed(`${player.id}: ${error.message}`),
  };

  const host: PlayerHost = {
    now,
    connect: (player) => {
      const url = options.urls[next++ % options.urls.length] as string;
      const connection = new WsPlayerConnection(url, player, observer);
      connections.add(connection);
      return connection;
    },
    act: (_player, delayMs, _label, action) => later(delayMs * options.timeScale, action),
  };

  const players = assignBehaviours(options.mix, options.players, rng.fork("behaviours")).map((behaviour, index) => {
    const mode = options.config.gameModes[index % options.config.gameModes.length]?.name ?? "Normal_1v1";
    // As in the simulation: this behaviour's id is not a UUID, so even its one well-formed frame is refused.
    const id = behaviour === "malformed-frames" ? `player-${index + 1}` : rng.uuid();
    return new Player(id, mode, behaviour, host, rng.fork(`p${index}`));
  });
  const oracle = new Oracle(
    players,
    options.config,
    boundsFor(options.config, 0),
    options.gameMs === undefined ? {} : { gameLengthMs: options.gameMs },
  );
  const readView = KITS[options.variant].readView;
  // The checker fails fast: a snapshot that cannot be taken is an error, not something to wait out (unless the
  // run restarts Redis on purpose).
  const redis = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: options.redisOutages ? () => OUTAGE_RETRY_MS : () => null,
  });
  redis.on("error", () => {});

  let joined = 0;
  for (const player of players) {
    later(rng.int(0, options.rampMs), () => {
      joined++;
      player.start();
    });
  }

  const progress = () =>
    options.onProgress?.({
      players: players.length,
      started: joined,
      connected: players.filter((player) => player.connected).length,
      matched: players.filter((player) => player.matches.length > 0).length,
      errors,
      elapsedMs: now(),
    });
  const progressTimer = setInterval(progress, PROGRESS_EVERY_MS);

  const settled = (view: ServerView): boolean => {
    if (timers.size > 0 || [...connections].some((connection) => connection.connecting)) return false;
    if (players.some((player) => player.connected && (player.view.state === "awaiting" || player.view.state === "loading"))) return false;
    if (view.sessions.size > 0 || view.servers.some((server) => server.status === "claimed")) return false;
    return options.config.gameModes.every(
      (mode) =>
        players.filter((player) => player.mode === mode.name && player.willing && player.view.state !== "matched").length <
        mode.requiredPlayers,
    );
  };

  let quiet = false;
  try {
    await redis.connect().catch((error: unknown) => {
      throw new Error(`cannot reach Redis at ${options.redisUrl}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const deadline = options.rampMs + options.settleMs;
    let view: ServerView | null = null;
    for (;;) {
      await sleep(options.checkEveryMs);
      const before = clientEvents;
      const snapshot = await snapshotRedis(redis).catch((error: unknown) => {
        if (!options.redisOutages) throw error;
        return null;
      });
      if (snapshot === null) {
        if (now() > deadline) break;
        continue;
      }
      // A client told something while the snapshot was taken may know more than the snapshot shows (a
      // match_found for a session the snapshot still has allocating): judge only snapshots no client outran.
      if (clientEvents !== before) {
        if (now() > deadline) break;
        continue;
      }
      view = readView(snapshot, options.config);
      oracle.afterStep(step++, now(), view);
      quiet = settled(view);
      if (quiet || now() > deadline) break;
    }
    if (view) oracle.atEnd(step, now(), view);
  } finally {
    stopped = true;
    clearInterval(progressTimer);
    for (const timer of timers) clearTimeout(timer);
    progress();
    for (const connection of connections) connection.clientClose();
    await Promise.race([Promise.all([...connections].map((connection) => connection.closed())), sleep(CLOSE_WAIT_MS)]);
    redis.disconnect();
  }

  // A player still trying to reach a server has not given up: only quitting before a match does that.
  const willing = players.filter((player) => isWilling(player.behaviour) && (player.matches.length > 0 || !player.quit));
  const matched = players.filter((player) => player.matches.length > 0);
  const latencies = matched
    .map((player) => (player.matches[0]?.at ?? 0) - (enqueuedAt.get(player) ?? 0))
    .sort((a, b) => a - b);
  const behaviours: Partial<Record<Behaviour, number>> = {};
  for (const player of players) behaviours[player.behaviour] = (behaviours[player.behaviour] ?? 0) + 1;
  return {
    players: players.length,
    willing: willing.length,
    matched: matched.length,
    unmatched: willing.filter((player) => player.matches.length === 0).length,
    errors,
    errorSamples,
    elapsedMs: Math.round(now()),
    playersPerSecond: lastMatchAt > 0 ? matched.length / (lastMatchAt / 1000) : 0,
    latencyMs:
      latencies.length === 0
        ? null
        : { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? 0 },
    settled: quiet,
    behaviours,
    violations: oracle.violations,
  };
}
