import type { MatchConfig } from "../config/config.ts";
import { ALLOCATION_FAILURES, ALLOCATION_RESULTS } from "../fixed/allocation.ts";
import type { CounterName, HistogramName } from "../ports/index.ts";
import type { Variant } from "./match-server.ts";

/** What every counter and histogram means, and the labels it carries. */
export interface MetricSpec {
  help: string;
  labels: readonly string[];
}

export const COUNTERS: Record<CounterName, MetricSpec> = {
  matches_total: { help: "Matches announced to players (match_found sent for a session).", labels: ["mode"] },
  allocation_failures_total: {
    help: "Allocations that found no server, failed the create call or got a bad reply.",
    labels: ["reason"],
  },
  rejected_inputs_total: {
    help: "Client frames, Redis contents or server replies refused by validation.",
    labels: ["source", "reason"],
  },
  handler_errors_total: { help: "Handler runs that ended in an error.", labels: ["handler"] },
  notifications_dropped_total: { help: "Notifications for a player with no live connection on this instance.", labels: [] },
  sessions_expired_total: { help: "Loading sessions ended by their deadline.", labels: [] },
  frames_refused_total: {
    help: "Client frames refused for going over the connection's frame rate or its bound on requests in flight.",
    labels: ["reason"],
  },
  dedicated_server_failures_total: {
    help: "Allocations that failed on a dedicated server this instance had claimed, per server.",
    labels: ["server"],
  },
  dedicated_servers_reaped_total: {
    help: "Dedicated servers whose registration expired, removed by this instance's sweep.",
    labels: [],
  },
  games_created_total: { help: "Game sessions this dedicated server created.", labels: [] },
  registrations_total: { help: "Fresh registrations of this dedicated server (at start, and after losing one).", labels: [] },
  registrations_lost_total: {
    help: "Heartbeats that found this dedicated server's registration gone (reaped, or Redis lost its data).",
    labels: [],
  },
};

export const HISTOGRAMS: Record<HistogramName, MetricSpec & { buckets: readonly number[] }> = {
  enqueue_to_match_seconds: {
    help: "From an accepted enqueue to the match_found sent on the same connection.",
    labels: ["mode"],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
  allocation_seconds: {
    help: "From the last ready to the allocation's end: matched, failed (rolled back) or superseded.",
    labels: ["result"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
};

/** One labelled series. */
export interface Series {
  name: CounterName | HistogramName;
  labels: Record<string, string>;
}

const LEGACY_HANDLERS = ["EnqueuePlayer", "DequeuePlayer", "TryMatch", "HandleLoadingComplete", "CancelLoadingSession", "CheckStaleLoadingSessions"];
const LEGACY_ALLOCATION_FAILURES = ["no_idle_server", "http_status", "bad_reply", "unreachable"];
const LEGACY_REJECTIONS = ["not-json", "not-object", "unknown-type", "bad-field", "too-large", "invalid_game_mode"];
const FIXED_HANDLERS = ["start", "presence", "sweep", "enqueue", "loading_complete", "leave", "allocate", "inbox"];
const FIXED_REJECTION_SOURCES = ["client", "redis", "inbox"];
const FRAME_REFUSALS = ["rate_limit", "in_flight"];

/**
 * Every series a match server of this variant can report whose labels are known before the first event, so a
 * dashboard shows a zero rather than nothing until then. Per-server series start when a server is first met.
 */
export function matchServerSeries(variant: Variant, config: MatchConfig): Series[] {
  const modes = config.gameModes.map((mode) => mode.name);
  const each = (name: Series["name"], label: string, values: readonly string[]): Series[] =>
    values.map((value) => ({ name, labels: { [label]: value } }));
  const common: Series[] = [
    ...each("matches_total", "mode", modes),
    { name: "notifications_dropped_total", labels: {} },
    { name: "sessions_expired_total", labels: {} },
  ];
  if (variant === "legacy") {
    return [
      ...common,
      ...each("allocation_failures_total", "reason", LEGACY_ALLOCATION_FAILURES),
      ...each("rejected_inputs_total", "reason", LEGACY_REJECTIONS),
      ...each("handler_errors_total", "handler", LEGACY_HANDLERS),
    ];
  }
  return [
    ...common,
    ...each("allocation_failures_total", "reason", ALLOCATION_FAILURES),
    ...each("rejected_inputs_total", "source", FIXED_REJECTION_SOURCES),
    ...each("handler_errors_total", "handler", [...FIXED_HANDLERS, ...modes.map((mode) => `tick:${mode}`)]),
    ...each("frames_refused_total", "reason", FRAME_REFUSALS),
    { name: "dedicated_servers_reaped_total", labels: {} },
    ...each("enqueue_to_match_seconds", "mode", modes),
    ...each("allocation_seconds", "result", ALLOCATION_RESULTS),
  ];
}

/** The counters each program reports; the other program's would only show misleading zeros. */
export const MATCH_SERVER_COUNTERS: readonly CounterName[] = [
  "matches_total",
  "allocation_failures_total",
  "rejected_inputs_total",
  "handler_errors_total",
  "notifications_dropped_total",
  "sessions_expired_total",
  "frames_refused_total",
  "dedicated_server_failures_total",
  "dedicated_servers_reaped_total",
];
export const DEDICATED_SERVER_COUNTERS: readonly CounterName[] = ["games_created_total", "registrations_total", "registrations_lost_total"];

export const DEDICATED_SERVER_SERIES: readonly Series[] = [
  { name: "games_created_total", labels: {} },
  { name: "registrations_total", labels: {} },
  { name: "registrations_lost_total", labels: {} },
];
