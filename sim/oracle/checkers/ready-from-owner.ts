import { clientFrame, serverMessage } from "../../trace/facts.ts";
import type { Checker } from "../checker.ts";

/** One player's loading of one session, as its frames tell it. */
interface Loading {
  /** The connection it was last told start_loading on: the one the server is talking to. */
  connection: string;
  /** A loading_complete reached the server on a connection already replaced by this one. */
  staleReady: boolean;
  /** Connections whose loading_complete reached the server while each was the latest told start_loading. */
  readyOn: Set<string>;
}

/**
 * A player told start_loading again on a new connection (a reconnect took its place over) loads there: the game
 * must wait for that connection's loading_complete, or have counted one the server received before the takeover. A
 * loading_complete arriving on the replaced connection after the new one was told comes from a client the
 * server no longer talks to, and counting it starts a game its player is still loading. Judged from frames alone:
 * a ready that arrived after the new connection was told start_loading necessarily reached Redis after the
 * takeover did.
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
          const loading = loadings.get(key);
          if (loading) loading.connection = event.connection;
          else loadings.set(key, { connection: event.connection, staleReady: false, readyOn: new Set() });
          return;
        }
        if (message?.type !== "match_found") return;
        const session = loadingOf.get(event.player);
        const loading = session === undefined ? undefined : loadings.get(`${event.player} ${session}`);
        // A ready that arrived while its connection was the latest counts, and keeps counting across later takeovers.
        if (loading === undefined || !loading.staleReady || loading.readyOn.size > 0 || loading.connection !== event.connection) return;
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
