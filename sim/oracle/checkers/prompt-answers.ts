import type { Checker, CheckPoint, CheckRun } from "../checker.ts";
import { memberLeft, readyChainsTrouble, readyGroup, type ReadyGroup } from "../ready-groups.ts";
import { passedOver, type ServerView } from "../server-view.ts";
import { Trouble } from "../step-evidence.ts";
import { interruptedBetween, type WorldFacts } from "../world-facts.ts";

/**
 * What a hop-free answer may still take: without a fault no hop takes time, but the race window lets a step run a
 * little after it was due, and the chains of one instant queue behind each other.
 */
const ANSWER_SLACK_MS = 1_000;
/** A delivery a fault delayed (up to 3 s a hop, two hops from a script to a client) on top of a late sweep. */
const DISTURBED_SLACK_MS = 10_000;
/** Match ticks a queued player whose turn has come may wait for: the next tick of some instance, and one more. */
const TICKS_TO_PLACE = 2;

/**
 * A ready group is answered at once: by the work its members' frames set going (its last ready, on the chain of
 * its connection's handlers), within the dedicated server's request timeout, whether that server failed or not.
 * Only a fault that holds the server's own work back (a crash or pause, a failed or slow command or hop, a member
 * who left) may make it wait, and then no longer than the allocation deadline and the sweep that enforces it.
 */
function judgeAnswer(run: CheckRun, world: WorldFacts, point: CheckPoint, group: ReadyGroup): void {
  const members = new Set(group.members.map(({ player }) => player.id));
  // A member's frame: its ready, or one its connection handled just before (a connection's handlers run one
  // after the other, so the ready's commands continue the previous handler's chain). Or the claimed server's
  // replacement process registering: its fresh registration ends the allocation its predecessor was part of,
  // and that is the group's answer (docs/fixed-server.md, register_server).
  const fromMember = (origin: number): boolean => {
    const event = run.observed.steps.originEvent(origin);
    return (event?.kind === "frame-in" && members.has(event.player)) || (event?.kind === "fault" && event.fault === "server-return");
  };
  for (const { player, episode } of group.connected) {
    const outcome = episode?.outcome;
    const step = episode ? run.observed.outcomeStep(episode) : undefined;
    if (!outcome || step === undefined || (outcome.kind !== "matched" && outcome.kind !== "requeued")) continue;
    const path = run.observed.steps.path(step);
    // A foreign writer spoiled a record on the way: whichever sweep first meets the damage answers, at a
    // deadline the damage may have hidden.
    if ((path.trouble & Trouble.foreign) !== 0) continue;
    // A dedicated server that failed (refused, garbled, timed out) is the allocation's own to answer, by rolling
    // back at once: only what holds the server's work back may leave the answer to the allocation deadline.
    const chains = readyChainsTrouble(run, group);
    const heldBack = ((path.trouble | chains) & ~Trouble.http) !== 0;
    const disturbed = heldBack || interruptedBetween(world, group.readyAt, outcome.at) || memberLeft(run, group, player, outcome.at);
    const waited = outcome.at - group.readyAt;
    const { allocationRequestTimeoutMs, allocationTimeoutMs, matchTickMs } = run.config;
    const bound = disturbed
      ? allocationTimeoutMs + matchTickMs + run.bounds.stallMs + DISTURBED_SLACK_MS
      : allocationRequestTimeoutMs + ANSWER_SLACK_MS;
    // Or, once that server failed to answer, periodic work that ended the allocation before its rollback could:
    // the reaper, when the server's registration lapsed while the call waited (docs/fixed-server.md,
    // reap_servers). Within the same bound, so a sweep that answers by the allocation deadline still fires.
    const endedByPeriodicWork = (chains & Trouble.http) !== 0 && run.observed.steps.originEvent(path.origin)?.kind === "timer";
    if (waited <= bound && (disturbed || fromMember(path.origin) || endedByPeriodicWork)) continue;
    const why = waited > bound ? `${(waited / 1000).toFixed(3)} s after the group was ready, more than ${(bound / 1000).toFixed(1)} s` : "from work none of its members' frames set going (nothing delayed or failed them)";
    run.report(point, `answer:${group.session}:${player.id}`, {
      message: `loading session ${group.session} was ready at ${(group.readyAt / 1000).toFixed(3)} s, and ${player.id}'s answer ("${outcome.kind === "matched" ? "match_found" : outcome.text}") came ${why}${disturbed ? "" : " with no fault to explain it"}`,
      players: group.present.map(({ player: member }) => member.id),
      keys: [group.first.key],
    });
  }
}

/**
 * The queued players whose turn has come: in each queue, in line order, the players the server may take (not
 * passed over), as many as make whole groups.
 */
function duePlayers(run: CheckRun, view: ServerView, redisNow: number): string[] {
  const due: string[] = [];
  const lines = run.observed.lines;
  for (const [queue, mode] of view.queueModes) {
    const required = run.config.gameModes.find((each) => each.name === mode)?.requiredPlayers;
    if (required === undefined) continue;
    const eligible = [...lines.waitingIn(queue)]
      .filter((player) => run.players.has(player) && !passedOver(view, player, redisNow))
      .sort((a, b) => (lines.arrival(a) ?? 0) - (lines.arrival(b) ?? 0));
    due.push(...eligible.slice(0, eligible.length - (eligible.length % required)));
  }
  return due;
}

/** Answers come without undue waiting: a ready group's outcome, a queued player's session once its turn comes. */
export default {
  name: "prompt-answers",
  meaning:
    "a ready group is answered by the work its members' frames set going (or its claimed server's replacement registering, or, once that server failed to answer, periodic work such as the reaper) within the dedicated server's request timeout, even when that " +
    "server failed (a fault holding the match server's work back may stretch that to the allocation deadline and a sweep; a foreign " +
    "writer's damage, to the sweep that meets it), and a queued player whose turn has come (enough players of its mode queued with " +
    `and before it) is taken into a session within ${TICKS_TO_PLACE} match ticks unless a fault held the ticks back`,
  rank: 48,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    /** Player -> since when its turn has come. */
    let dueSince = new Map<string, number>();
    /** When deferrals next change: the earliest presence expiry among the queued players taken into account. */
    let recheckAt = Number.POSITIVE_INFINITY;
    const bound = TICKS_TO_PLACE * run.config.matchTickMs + ANSWER_SLACK_MS;
    return {
      afterStep(point, view) {
        // Judged before this step's placements are taken into account: a player placed now waited until now, or
        // until the last timer fired (once the servers stop, nothing ticks and nobody's wait counts).
        const { lastTimerAt, lastTimerTroubleAt } = run.observed.steps;
        const until = Math.min(point.at, lastTimerAt);
        for (const [player, since] of dueSince) {
          if (until - since <= bound) continue;
          const from = Math.max(since, lastTimerTroubleAt);
          if (until - from <= bound || interruptedBetween(world, since, until)) continue;
          run.report(point, `placed:${player}:${since}`, {
            message: `player ${player} waited ${((until - since) / 1000).toFixed(1)} s for a session since its turn came at ${(since / 1000).toFixed(1)} s, more than ${TICKS_TO_PLACE} match ticks`,
            players: [player],
            keys: [],
          });
        }
        const redisNow = world.redisTime(point.at);
        // The queue's owners' presences are renewed by writes that move nobody: judged again once one lapses.
        if (run.observed.lines.moved || redisNow > recheckAt) {
          const next = new Map<string, number>();
          for (const player of duePlayers(run, view, redisNow)) next.set(player, dueSince.get(player) ?? point.at);
          dueSince = next;
          recheckAt = Math.min(...[...(view.ownerLiveUntil?.values() ?? [])].filter((until) => until >= redisNow));
        }
      },
      atEnd(point) {
        for (const [session, first] of run.observed.sessions) {
          const group = readyGroup(run, session, first);
          if (group.wholeReady) judgeAnswer(run, world, point, group);
        }
      },
    };
  },
} satisfies Checker;
