export type CounterName =
  | "matches_total"
  | "allocation_failures_total"
  | "rejected_inputs_total"
  | "handler_errors_total"
  | "notifications_dropped_total"
  | "sessions_expired_total"
  | "frames_refused_total"
  | "dedicated_server_failures_total"
  | "dedicated_servers_reaped_total"
  | "games_created_total"
  | "registrations_total"
  | "registrations_lost_total";

export type HistogramName = "enqueue_to_match_seconds" | "allocation_seconds";

/** Counters and latencies the server reports; what lives in Redis is read by the metrics endpoint itself. */
export interface Metrics {
  /** `by` is 1 unless said otherwise; 0 makes a series exist before its first event (a server first met). */
  increment(name: CounterName, labels?: Record<string, string>, by?: number): void;
  observe(name: HistogramName, seconds: number, labels?: Record<string, string>): void;
}
