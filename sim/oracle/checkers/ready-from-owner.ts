import { clientFrame, serverMessage } from "../../trace/facts.ts";
import type { Checker } from "../checker.ts";
import type { StepEvidence } from "../step-evidence.ts";

/** One player's loading of one session, as its frames tell it. */
interface Loading {
  /** The connection the newest start_loading was published to: the one the server is talking to. */
  connection: string;
  /** When that start_loading was published (its script ran). */
  publishedAt: number;
  /** Two start_loadings for two connections were published at one instant: which is newer is unknown, so not judged. */
  unsure: boolean;
  /** A loading_complete reached the server on a connection already replaced by this one. */
  staleReady: boolean;
  /** Connections whose loading_complete reached the server while each was the latest told start_loading. */
  readyOn: Set<string>;
}

/** When the script that published the message a frame hands over ran: the frame's delivery's cause. */
function publishedAt(steps: StepEvidence, frame: number): number | undefined {
  const delivery = steps.causeOf(frame);
  const script = delivery === undefined ? undefined : steps.causeOf(delivery);
  return script === undefined ? undefined : steps.timeOf(script);
}

/**
 * A player told start_loading again on a new connection (a reconnect took its place over) loads there: the game
 * must wait for that connection's loading_complete, or have counted one the server received before the takeover. A
 * loading_complete arriving on the replaced connection after the new one was told comes from a client the
 * server no longer talks to, and counting it starts a game its player is still loading. Judged from frames and when
 * the scripts that sent them ran: a ready that arrived after the new connection was told start_loading necessarily
 * reached Redis after the takeover did.
 */
export default {
  name: "ready-from-owner",
  meaning:
    "a player told start_loading again on a new connection is sent match_found there only after it confirmed loading on it, unless " +
    "a ready of its reached the server before the takeover: a loading_complete from a connection already replaced does not count",
  rank: 42,
  create: (run) => {
    /** `player session` -> its loading. */
    const loadings = new Map<string, Loading>();
    /** Player -> the session it was last told to load. */
    const loadingOf = new Map<string, string>();
    return {
      afterStep(point) {
        const happened = run.observed.current;
        if (happened === null) return;
        const event = happened.event;
        if (event.kind === "frame-in") {
          if (!event.text.includes("loading_complete")) return;
          const frame = clientFrame(event);
          if (frame?.type !== "loading_complete") return;
          const loading = loadings.get(`${event.player} ${frame.loading_session_id.toLowerCase()}`);
          if (loading === undefined) return;
          if (loading.connection === event.connection) loading.readyOn.add(event.connection);
          else loading.staleReady = true;
          return;
        }
        if (event.kind !== "frame-out" || event.dropped) return;
        if (!event.text.includes("start_loading") && !event.text.includes("match_found")) return;
        const message = serverMessage(event);
        if (message?.type === "start_loading") {
          const key = `${event.player} ${message.loading_session_id}`;
          loadingOf.set(event.player, message.loading_session_id);
          // Ordered by when each was published, not by when it arrived: one published to the replaced connection
          // before the takeover may arrive after the new connection's.
          const published = publishedAt(run.observed.steps, happened.id);
          const loading = loadings.get(key);
          if (loading === undefined) {
            loadings.set(key, { connection: event.connection, publishedAt: published ?? 0, unsure: published === undefined, staleReady: false, readyOn: new Set() });
          } else if (published === undefined || (published === loading.publishedAt && event.connection !== loading.connection)) {
            loading.unsure = true;
          } else if (published > loading.publishedAt) {
            loading.connection = event.connection;
            loading.publishedAt = published;
          }
          return;
        }
        if (message?.type !== "match_found") return;
        const session = loadingOf.get(event.player);
        const loading = session === undefined ? undefined : loadings.get(`${event.player} ${session}`);
        // A ready that arrived while its connection was the latest counts, and keeps counting across later takeovers.
        if (loading === undefined || loading.unsure || !loading.staleReady || loading.readyOn.size > 0 || loading.connection !== event.connection) return;
        run.report(point, `owner:${event.player}:${session}`, {
          kind: "game started on a replaced connection's ready",
          message: `player ${event.player} was told start_loading for ${session} again on ${event.connection}, sent no loading_complete there, and was told match_found: the ready counted came on a connection already replaced`,
          players: [event.player],
          keys: [],
        });
      },
    };
  },
} satisfies Checker;
