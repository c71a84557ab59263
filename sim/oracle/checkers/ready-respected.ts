import type { LoadingEpisode, Player } from "../../players/player.ts";
import type { Checker, CheckRun } from "../checker.ts";
import { groupDisturbed, instanceLost, memberLeft, readyGroup, type ReadyGroup } from "../ready-groups.ts";
import { Trouble } from "../step-evidence.ts";

/**
 * A timeout may reach a client this much before the deadline the oracle computes, unless the run says how precise
 * its server's deadlines are (OracleOptions.earlyTimeoutToleranceMs): legacy truncates created_at to whole
 * seconds, and the oracle sees a session one step after it was written.
 */
const EARLY_TIMEOUT_TOLERANCE_MS = 2_000;

/**
 * Why a ready group's re-queue is owed an explanation the world confirms, or null when it has one. Where the world
 * did not report the step that brought the message (a real run), the message's word is taken.
 */
function unexplained(run: CheckRun, group: ReadyGroup, player: Player, episode: LoadingEpisode): string | null {
  const outcome = episode.outcome;
  const step = run.observed.outcomeStep(episode);
  if (!outcome || step === undefined || run.options.world === undefined) return null;
  const path = run.observed.steps.path(step);
  const reason = run.options.reasons?.(outcome.text) ?? null;
  // A foreign writer's record read on the way counts as a member gone: the server can no longer tell it is there.
  const foreign = (path.trouble & Trouble.foreign) !== 0;
  const left = foreign || memberLeft(run, group, player, outcome.at);
  // Sent by a dedicated server's replacement registering afresh: the process the allocation called had died.
  const origin = run.observed.steps.originEvent(path.origin);
  const serverDied = origin?.kind === "fault" && (origin.fault === "server-return" || origin.fault === "server-death");
  const failed = foreign || serverDied || (path.trouble & (Trouble.http | Trouble.redis)) !== 0 || groupDisturbed(run, group, outcome.at);
  switch (reason) {
    case "no-server":
      return path.noIdleServer ? null : "yet a dedicated server was idle at every step of the work that sent it";
    case "member-left":
      return left ? null : "yet no other member had left";
    case "allocation-failed":
      return failed ? null : "yet no dedicated server failed or timed out, no command failed, and no instance crashed or paused";
    default:
      return failed || left || path.noIdleServer ? null : "and nothing in the world explains it";
  }
}

/** The work that brought this episode its outcome read a record a foreign writer had put there. */
function foreignOutcome(run: CheckRun, episode: LoadingEpisode | undefined): boolean {
  const step = episode === undefined ? undefined : run.observed.outcomeStep(episode);
  return step !== undefined && (run.observed.steps.path(step).trouble & Trouble.foreign) !== 0;
}

/**
 * The member was told, at or after `since`, the game its session was announced as: one some member's episode of
 * the session ended in. A member back on a new connection is told its game there (the takeover path of enqueue).
 */
function toldSessionGame(group: ReadyGroup, player: Player, since: number): boolean {
  const games = new Set(group.members.flatMap(({ all }) => all.flatMap((each) => (each.outcome?.kind === "matched" ? [each.outcome.text] : []))));
  return player.matches.some((match) => match.at >= since && games.has(match.session));
}

/**
 * The server closed the member's connection with its answer for a cause the world confirms: the instance was lost to
 * the session meanwhile (reaped while paused, fenced when it came back: the member went with it, as any member of a
 * lost instance does), or the work that answered met a failed Redis command and could not vouch for where the
 * member stood (an enqueue whose every reply was lost).
 */
function closedForCause(run: CheckRun, group: ReadyGroup, episode: LoadingEpisode, at: number): boolean {
  const instance = episode.connection?.instanceId;
  if (instance !== undefined && instanceLost(run, group, instance, at)) return true;
  const step = run.observed.outcomeStep(episode);
  return step !== undefined && (run.observed.steps.path(step).trouble & Trouble.redis) !== 0;
}

/** The instance this episode's connection reached had lost its subscriptions at some time in [from, to]. */
function deafened(run: CheckRun, episode: LoadingEpisode | undefined, from: number, to: number): boolean {
  const instance = episode?.connection?.instanceId;
  return (
    instance !== undefined &&
    (run.options.world?.interruptions().some((each) => each.kind === "deaf" && each.instance === instance && each.from <= to && (each.until ?? to) >= from) ?? false)
  );
}

/** A group that did what was asked in time gets its game, or is told plainly why not and keeps its place. */
export default {
  name: "ready-respected",
  meaning:
    "a loading session whose members all sent loading_complete in time ends in match_found, or in an explicit error and re-queue " +
    "whose reason the world confirms (no idle server, a dedicated server or command that failed, a member who left or whose instance the server presumed dead, a crash or pause, " +
    "a foreign writer's record read on the way); " +
    "in time is the design's now <= deadline, applied exactly when the world says when the ready reached Redis, else with a grace",
  rank: 40,
  create: (run) => ({
    atEnd(point, view) {
      for (const [session, first] of run.observed.sessions) {
        const group = readyGroup(run, session, first);
        // Without the world's steps the session was made somewhere between two snapshots: its deadline may be
        // as early as the first of them allows.
        const earliestDeadline = run.options.world === undefined ? first.since + run.config.loadingTimeoutMs : group.deadline;
        for (const { player, episode } of group.members) {
          const outcome = episode?.outcome;
          const tolerance = run.options.earlyTimeoutToleranceMs ?? EARLY_TIMEOUT_TOLERANCE_MS;
          // A member not ready yet may be told the timeout without a re-queue: an answer the client takes as a refusal.
          if (!outcome || (outcome.kind !== "timed-out" && run.options.reasons?.(outcome.text) !== "timed-out")) continue;
          if (outcome.at >= earliestDeadline - tolerance) continue;
          run.report(point, `early:${session}:${player.id}`, {
            kind: "timed out before the deadline",
            message: `player ${player.id} was told loading session ${session} timed out at ${(outcome.at / 1000).toFixed(1)} s, ${((group.deadline - outcome.at) / 1000).toFixed(1)} s before its deadline (${(group.deadline / 1000).toFixed(1)} s)`,
            players: [player.id],
            keys: [first.key],
          });
        }
        if (group.vanished || !group.allReady) continue;
        const readiness = group.present
          .map(({ player: member, readyAt }) => `${member.id} at ${((readyAt ?? 0) / 1000).toFixed(3)} s`)
          .join(", ");
        const players = group.present.map(({ player: member }) => member.id);
        for (const { player, episode } of group.connected) {
          const outcome = episode?.outcome;
          if (outcome?.kind === "matched") continue;
          if (outcome?.kind === "requeued" && episode) {
            const why = unexplained(run, group, player, episode);
            if (why === null) continue;
            run.report(point, `reason:${session}:${player.id}`, {
              message: `every member of loading session ${session} was ready in time (${readiness}; deadline ${(group.deadline / 1000).toFixed(3)} s), and ${player.id} was re-queued with "${outcome.text}" at ${(outcome.at / 1000).toFixed(3)} s, ${why}`,
              players,
              keys: [first.key],
            });
            continue;
          }
          if (!outcome && !player.connected) continue;
          // The server closed the connection with this answer, so it ended the connection, not the session: what
          // the member heard of the session next, on another connection, is its answer; or the close had a cause
          // the world confirms (closedForCause).
          if (outcome && episode && run.observed.closedWith(episode) && (toldSessionGame(group, player, outcome.at) || closedForCause(run, group, episode, outcome.at))) continue;
          // Refused because its own record was a foreign writer's: the server could no longer tell where it stood.
          if (outcome && foreignOutcome(run, episode)) continue;
          // The answer was published while the member's instance was deaf: lost to a fault, not withheld.
          if (deafened(run, episode, group.first.at, outcome?.at ?? point.at)) continue;
          // Still live and within its lifetime: in flight when the run ended, not silent (no-orphaned-session
          // judges a session that stays too long).
          if (!outcome && view.sessions.has(session) && point.at - first.at <= run.bounds.sessionLifetimeMs) continue;
          const what = outcome ? `ended in ${outcome.kind === "timed-out" ? "a timeout" : `"${outcome.text}"`}` : "never ended: the client heard nothing more";
          run.report(point, `ready:${session}:${player.id}`, {
            kind: `ready group ${outcome ? (outcome.kind === "timed-out" ? "timed out" : `answered ${outcome.kind}`) : "never answered"}`,
            message: `every member of loading session ${session} still there at its deadline sent loading_complete in time (${readiness}; deadline ${(group.deadline / 1000).toFixed(3)} s), yet for ${player.id} it ${what}`,
            players,
            keys: [first.key],
          });
        }
      }
    },
  }),
} satisfies Checker;
