export type CounterName =
  | "matches_total"
  | "allocation_failures_total"
  | "rejected_inputs_total"
  | "handler_errors_total"
  | "notifications_dropped_total"
  | "sessions_expired_total";

/** Counters the server reports; queue sizes are read from Redis by the metrics endpoint itself. */
export interface Metrics {
  increment(name: CounterName, labels?: Record<string, string>): void;
}
