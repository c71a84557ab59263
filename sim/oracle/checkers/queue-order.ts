import type { Checker } from "../checker.ts";
import type { Placement } from "../queue-lines.ts";
import { passedOver } from "../server-view.ts";

/**
 * First come, first served within a mode: when the server takes queued players into a session, nobody still
 * waiting in that queue entered the line before one it took. Places are the oracle's own record of who entered
 * the line when (a re-queue after a failed session keeps the place; see QueueLines). Judged only where the world
 * reports every step, as a real run's snapshots miss the moves between them.
 */
export default {
  name: "queue-order",
  meaning:
    "queued players of one mode are taken first come, first served, and one re-queued after a failed session keeps its place; " +
    "a player whose instance the server presumes dead is passed over, never taken into a session bound to fail; " +
    "a player whose record, or whose session's, a foreign writer spoiled is not judged for its place",
  rank: 45,
  create: (run) => {
    const world = run.options.world;
    if (world === undefined) return {};
    return {
      afterStep(point, view) {
        const lines = run.observed.lines;
        if (lines.placed.length === 0) return;
        const byQueue = new Map<string, Placement[]>();
        for (const placement of lines.placed) {
          if (!run.players.has(placement.player)) continue;
          byQueue.set(placement.queue, [...(byQueue.get(placement.queue) ?? []), placement]);
        }
        const now = world.redisTime(point.at);
        const before = lines.before;
        for (const { player, queue } of lines.placed) {
          if (!run.players.has(player) || before === null || !passedOver(before, player, now)) continue;
          run.report(point, `doomed:${player}`, {
            message: `player ${player} was taken from ${queue} into a session although the instance owning its record no longer counted as live: a session bound to fail`,
            players: [player],
            keys: [queue],
          });
        }
        for (const [queue, placed] of byQueue) {
          const latest = placed.reduce((last, each) => ((lines.arrival(each.player) ?? 0) > (lines.arrival(last.player) ?? 0) ? each : last));
          const latestArrival = lines.arrival(latest.player) ?? 0;
          for (const waiting of lines.waitingIn(queue)) {
            const arrival = lines.arrival(waiting);
            if (!run.players.has(waiting) || arrival === undefined || arrival >= latestArrival || passedOver(view, waiting, now)) continue;
            // A foreign writer spoiled one of their records: the server could not know their places any more,
            // nor the oracle tell them from the line it saw.
            if (run.observed.spoiled(waiting) || run.observed.spoiled(latest.player)) continue;
            run.report(point, `passed:${waiting}`, {
              message: `player ${waiting} (in line since step ${arrival}) was left waiting in ${queue} while ${latest.player} (in line since step ${latestArrival}) was taken into a session`,
              players: [waiting, latest.player],
              keys: [queue],
            });
          }
        }
      },
    };
  },
} satisfies Checker;
