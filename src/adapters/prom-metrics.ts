import { Counter, Gauge, Registry } from "prom-client";
import type { CounterName, Metrics } from "../ports/index.ts";

const HELP: Record<CounterName, string> = {
  matches_total: "Matches announced to players (match_found sent for a session).",
  allocation_failures_total: "Allocations that found no server, failed the create call or got a bad reply.",
  rejected_inputs_total: "Client frames, Redis contents or server replies refused by validation.",
  handler_errors_total: "Handler runs that ended in an error.",
  notifications_dropped_total: "Notifications for a player with no live connection on this instance.",
  sessions_expired_total: "Loading sessions ended by their deadline.",
};

/**
 * prom-client refuses a label it was not told about up front, so every counter declares the labels the
 * servers use; any other label is left out of the sample rather than failing the handler that counts.
 */
export const COUNTER_LABELS = ["mode", "reason", "handler", "kind"] as const;

export type QueueSizes = () => Promise<Record<string, number>>;

/** Metrics on a prom-client registry of its own, so two servers in one process never share counts. */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<CounterName, Counter>();

  /**
   * `queueSizes` is read at every scrape, so the gauge shows the queues as Redis holds them now, whichever
   * instance filled them. A failed read leaves the gauge empty for that scrape and reports the error.
   */
  constructor(queueSizes: QueueSizes, onQueueReadError: (error: unknown) => void = () => {}) {
    for (const [name, help] of Object.entries(HELP) as Array<[CounterName, string]>) {
      this.counters.set(
        name,
        new Counter({ name, help, labelNames: [...COUNTER_LABELS], registers: [this.registry] }),
      );
    }
    new Gauge({
      name: "queue_size",
      help: "Players waiting in each game mode's queue, read from Redis at scrape time.",
      labelNames: ["mode"],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const [mode, size] of Object.entries(await queueSizes())) this.set({ mode }, size);
        } catch (error) {
          onQueueReadError(error);
        }
      },
    });
  }

  increment(name: CounterName, labels: Record<string, string> = {}): void {
    const known: Record<string, string> = {};
    for (const label of COUNTER_LABELS) {
      const value = labels[label];
      if (value !== undefined) known[label] = value;
    }
    this.counters.get(name)?.inc(known);
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
