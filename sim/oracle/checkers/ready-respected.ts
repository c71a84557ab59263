import type { Checker } from "../checker.ts";

/**
 * A timeout may reach a client this much before the deadline the oracle computes: legacy truncates created_at to
 * whole seconds, and the oracle sees a session one step after it was written.
 */
const EARLY_TIMEOUT_TOLERANCE_MS = 2_000;

/** A group that did what was asked in time gets its game, or is told plainly why not and keeps its place. */
export default {
  name: "ready-respected",
  meaning: "a loading session whose members all sent loading_complete in time ends in match_found, or in an explicit error and re-queue",
  rank: 40,
  create: (run) => ({
    atEnd(point, view) {
      for (const [session, first] of run.observed.sessions) {
        const deadline = first.at + run.config.loadingTimeoutMs;
        const members = first.members.map((id) => run.players.get(id)).filter((player) => player !== undefined);
        const episodes = members.map((player) => ({
          player,
          // A player who reconnected and resumed the session lives its latest episode of it.
          episode: player.episodes.findLast((episode) => episode.session === session),
        }));
        for (const { player, episode } of episodes) {
          const outcome = episode?.outcome;
          if (outcome?.kind !== "timed-out" || outcome.at >= deadline - EARLY_TIMEOUT_TOLERANCE_MS) continue;
          run.report(point, `early:${session}:${player.id}`, {
            kind: "timed out before the deadline",
            message: `player ${player.id} was told loading session ${session} timed out at ${(outcome.at / 1000).toFixed(1)} s, ${((deadline - outcome.at) / 1000).toFixed(1)} s before its deadline (${(deadline / 1000).toFixed(1)} s)`,
            players: [player.id],
            keys: [first.key],
          });
        }
        // A member who vanished without the server hearing of it in time (its instance died, its network
        // dropped) leaves a session that can only end by its deadline: a timeout is then the honest answer.
        const vanished = episodes.some(({ episode }) => {
          if (!episode || episode.disconnectedAt === null || episode.readyDeliveredAt !== null) return false;
          const heard = episode.connection?.serverClosedAt ?? null;
          return heard === null || heard > deadline - run.bounds.readyGraceMs;
        });
        if (vanished) continue;
        // Whose readiness counts: the members still there at the deadline (one who left later was present).
        const present = episodes.filter(({ player, episode }) =>
          episode ? episode.disconnectedAt === null || episode.disconnectedAt > deadline : player.connected,
        );
        if (present.length === 0) continue;
        const allReady = present.every(
          ({ episode }) => episode?.readyDeliveredAt != null && episode.readyDeliveredAt <= deadline - run.bounds.readyGraceMs,
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
          if (!outcome && view.sessions.has(session) && point.at - first.at <= run.bounds.sessionLifetimeMs) continue;
          const what = outcome ? `ended in ${outcome.kind === "timed-out" ? "a timeout" : `"${outcome.text}"`}` : "never ended: the client heard nothing more";
          run.report(point, `ready:${session}:${player.id}`, {
            kind: `ready group ${outcome ? (outcome.kind === "timed-out" ? "timed out" : `answered ${outcome.kind}`) : "never answered"}`,
            message: `every member of loading session ${session} still there at its deadline sent loading_complete in time (${present
              .map(({ player: member, episode: e }) => `${member.id} at ${Math.round((e?.readyDeliveredAt ?? 0) / 1000)} s`)
              .join(", ")}; deadline ${Math.round(deadline / 1000)} s), yet for ${player.id} it ${what}`,
            players: present.map(({ player: member }) => member.id),
            keys: [first.key],
          });
        }
      }
    },
  }),
} satisfies Checker;
