import type { LoadingEpisode, Player } from "../players/player.ts";
import type { CheckRun } from "./checker.ts";
import type { SessionSighting } from "./observations.ts";
import { Trouble } from "./step-evidence.ts";
import { interruptedBetween, whenRedisReaches } from "./world-facts.ts";

export interface MemberEpisode {
  player: Player;
  /** Its latest episode of the session: a player who reconnected and resumed the session lives that one. */
  episode: LoadingEpisode | undefined;
  /** Every episode it had of the session: a ready sent before a reconnect counts for the server as much. */
  all: LoadingEpisode[];
  /** When its ready counted, from whichever of its episodes it was sent in; null when none did. */
  readyAt: number | null;
}

/** One loading session as the members lived it, judged by its deadline. */
export interface ReadyGroup {
  session: string;
  first: SessionSighting;
  /** The design's deadline: `now <= deadline` counts, from the instant the session was created. */
  deadline: number;
  members: MemberEpisode[];
  /** A member vanished without the server hearing of it in time: only the deadline can end the session. */
  vanished: boolean;
  /** The members still there at the deadline (one who left later was present). */
  present: MemberEpisode[];
  /** Every present member's ready counted, and there was one. */
  allReady: boolean;
  /** Every member's ready counted, not only the present ones': the server had all it needed to allocate. */
  wholeReady: boolean;
  /** When the last counted ready did: for a whole group, the instant it was ready. */
  readyAt: number;
  /** The present members whose connection lasted to the end of the episode: their answers are judged. */
  connected: MemberEpisode[];
}

/**
 * When a member's ready counted, or null when it did not. Where the world says when the ready's script reached
 * Redis, the design's boundary is applied exactly (`now <= deadline`): a ready at the deadline counts, and one the
 * world's own latency (a slow command, a paused instance) carried past it does not. Where it cannot say (a real
 * run, or a ready whose handler waited behind another), the ready must have reached the server the grace before
 * the deadline.
 */
export function readyCounted(run: CheckRun, member: string, episode: LoadingEpisode | undefined, deadline: number): number | null {
  if (episode === undefined || episode.readyDeliveredAt === null) return null;
  // The first ready reached Redis after another connection had taken the player over: the one the client sent
  // again there speaks for it, if it did.
  const ready = run.observed.readyReplaced(episode) ? episode.readyAgain : { at: episode.readyDeliveredAt, connection: episode.readyConnection ?? episode.connection };
  if (ready === undefined) return null;
  const delivered = ready.at;
  // A handler that waited behind another runs on that one's chain: where the frame's own chain shows no script
  // applied, the views say when the ready was first recorded.
  const applied = run.observed.readyAppliedAt(episode) ?? run.observed.readyRecordedAt(episode.session, member);
  if (applied !== undefined) return applied <= deadline ? applied : null;
  // Its handler ran and gave up: every command it sent was lost or refused, so the ready never reached Redis.
  if (readyLostOnItsWay(run, member, episode)) return null;
  // The world saw it arrive, and the server closed the connection that carried it before it was recorded: the
  // handlers of a closed connection run nothing but its leave.
  const closed = ready.connection?.serverClosedAt ?? null;
  if (run.observed.readyStep(episode) !== undefined && closed !== null && closed >= delivered) return null;
  // The instance the frame reached crashed before any command of its handler was applied: the ready died with it.
  if (lostWithItsInstance(run, ready.connection?.instanceId, delivered)) return null;
  return delivered <= deadline - run.bounds.readyGraceMs ? delivered : null;
}

/**
 * The ready's handler met a failed Redis command and none of its commands was applied (see readyCounted): on the
 * frame's own chain, or on the chain of a handler it was queued behind.
 */
function readyLostOnItsWay(run: CheckRun, member: string, episode: LoadingEpisode): boolean {
  const step = run.observed.readyStep(episode);
  if (step === undefined) return false;
  return (run.observed.steps.troubleOf(run.observed.steps.originOf(step)) & Trouble.redis) !== 0 || run.observed.readyAttemptsFailed(member, episode.session);
}

/** The instance that received the episode's ready crashed after it arrived, by the world's account. */
function lostWithItsInstance(run: CheckRun, instance: string | undefined, delivered: number): boolean {
  const world = run.options.world;
  if (world === undefined || instance === undefined) return false;
  return world.interruptions().some((each) => each.kind === "crash" && each.instance === instance && each.from >= delivered);
}

/**
 * The server told the member to load on a connection its client still holds open, though the client no longer
 * listens there (a tab it left open, or whose late enqueue came after it had moved on): the server is right to
 * wait for that connection's ready, as for any member that never loads.
 */
function toldOnOpenConnection(run: CheckRun, player: Player, session: string): boolean {
  return player.connections.some((connection) => connection.clientOpen && connection.traceId !== undefined && run.observed.toldToLoadOn(player.id, session, connection.traceId));
}

export function readyGroup(run: CheckRun, session: string, first: SessionSighting): ReadyGroup {
  // The session's deadline is in Redis time: a step of Redis's clock moves it in the run's.
  const world = run.options.world;
  const deadline = world === undefined ? first.at + run.config.loadingTimeoutMs : whenRedisReaches(world, first.at, run.config.loadingTimeoutMs);
  const members = first.members
    .map((id) => run.players.get(id))
    .filter((player) => player !== undefined)
    .map((player) => {
      const all = player.episodes.filter((episode) => episode.session === session);
      // The first of its episodes whose ready counted: the server keeps a ready across a takeover.
      const times = all.map((episode) => readyCounted(run, player.id, episode, deadline)).filter((at) => at !== null);
      return { player, episode: all.at(-1), all, readyAt: times.length > 0 ? Math.min(...times) : null };
    });
  const vanished = members.some(({ episode }) => {
    if (!episode || episode.disconnectedAt === null || episode.readyDeliveredAt !== null) return false;
    const heard = episode.connection?.serverClosedAt ?? null;
    return heard === null || heard > deadline - run.bounds.readyGraceMs;
  });
  const present = members.filter(({ player, episode }) =>
    episode ? episode.disconnectedAt === null || episode.disconnectedAt > deadline : player.connected || toldOnOpenConnection(run, player, session),
  );
  const allReady = present.length > 0 && present.every(({ readyAt }) => readyAt !== null);
  return {
    session,
    first,
    deadline,
    members,
    vanished,
    present,
    allReady,
    wholeReady: members.length > 0 && members.every(({ readyAt }) => readyAt !== null),
    readyAt: Math.max(...members.map(({ readyAt }) => readyAt ?? Number.NEGATIVE_INFINITY)),
    connected: present.filter(({ player, episode }) => (episode ? episode.disconnectedAt === null : player.connected)),
  };
}

/** How long before a session was created a leave may have been heard and still have reached Redis after it. */
const LEAVE_IN_FLIGHT_MS = 10_000;

/**
 * Some member other than `player` left the session by `by`, as the server could know it: the server learned one
 * of its connections was gone (a close, a heartbeat timeout, the server closing it) and that connection had not
 * been taken over by another of the member's (its leave then still owned the record), or the instance one of its
 * connections reached was lost (instanceLost).
 */
export function memberLeft(run: CheckRun, group: ReadyGroup, player: Player, by: number): boolean {
  const since = group.first.at - run.bounds.stallMs - LEAVE_IN_FLIGHT_MS;
  return group.members.some(({ player: member }) =>
    member !== player &&
    member.connections.some((connection) => {
      const closed = connection.serverClosedAt ?? null;
      if (closed !== null && closed >= since && closed <= by && !member.replaced.has(connection)) return true;
      return connection.instanceId !== undefined && instanceLost(run, group, connection.instanceId, by);
    }),
  );
}

/**
 * The instance was lost to the session by `by`, as the server could know it: crashed before then (that incarnation
 * never comes back, and the survivors reap its records once its presence lapses), or paused, or cut off from Redis
 * long enough that its presence may have lapsed, into the session's life (reaped meanwhile, or fenced when it renews).
 * Or its presence did lapse in that time, whatever made it (renewals lost on a lossy link): the survivors then
 * purge its players as if they had left.
 */
export function instanceLost(run: CheckRun, group: ReadyGroup, instance: string, by: number): boolean {
  const world = run.options.world;
  // Presence is listed under the id the server calls itself, which a restart may have kept from its predecessor.
  const lapses = run.observed.presenceLapses(world?.serverIdOf(instance) ?? instance);
  if (lapses.some((lapsed) => lapsed <= by && lapsed + run.config.presenceIntervalMs >= group.first.at)) return true;
  // Cut off from Redis this long, an instance may miss its presence's expiry: its last renewal may have come up to
  // an interval before the cut, and its next after it up to an interval later.
  const lapseMs = run.config.instanceTtlMs - 2 * run.config.presenceIntervalMs;
  return (
    world !== undefined &&
    world.interruptions().some(
      (each) =>
        each.instance === instance &&
        (each.kind !== "deaf" || (each.cutOff === true && each.until !== null && each.until - each.from >= lapseMs)) &&
        each.from <= by &&
        (each.kind === "crash" || each.until === null || each.until + run.config.presenceIntervalMs >= group.first.at),
    )
  );
}

/** Trouble on the chains the group's ready frames set going: a failed or slow command, a failed request. */
export function readyChainsTrouble(run: CheckRun, group: ReadyGroup): number {
  let trouble = 0;
  for (const episode of group.members.flatMap(({ all }) => all)) {
    const step = run.observed.readyStep(episode);
    if (step !== undefined) trouble |= run.observed.steps.troubleOf(step);
  }
  return trouble;
}

/** A fault struck the group between its readiness and `until`: an interruption, or trouble on its ready chains. */
export function groupDisturbed(run: CheckRun, group: ReadyGroup, until: number): boolean {
  const world = run.options.world;
  return (world !== undefined && interruptedBetween(world, group.readyAt, until)) || readyChainsTrouble(run, group) !== 0;
}
