import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CounterName, HistogramName, Metrics } from "../ports/index.ts";
import { COUNTERS, HISTOGRAMS, type Series } from "../server/metric-catalog.ts";

/** A gauge whose value is read when Prometheus scrapes (from Redis, or from the process's own state). */
export interface ScrapedGauge {
  name: string;
  help: string;
  labels: readonly string[];
}

export type GaugeReading = Record<string, ReadonlyArray<{ labels?: Record<string, string>; value: number }>>;

export interface PromMetricsOptions {
  counters: readonly CounterName[];
  histograms?: readonly HistogramName[];
  /** Series that exist at zero from the start. */
  series?: readonly Series[];
  gauges?: readonly ScrapedGauge[];
  /** Called once per scrape; a gauge missing from the reading shows no series for that scrape. */
  read?: () => Promise<GaugeReading>;
  onReadError?: (error: unknown) => void;
  /** The process's heap, CPU, event loop lag and the like, as prom-client measures them. */
  processMetrics?: boolean;
}

/** Metrics on a prom-client registry of its own, so two servers in one process never share counts. */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters = new Map<CounterName, Counter>();
  private readonly histograms = new Map<HistogramName, Histogram>();
  private readonly gauges = new Map<string, Gauge>();

  constructor(private readonly options: PromMetricsOptions) {
    const registers = [this.registry];
    for (const name of options.counters) {
      const { help, labels } = COUNTERS[name];
      this.counters.set(name, new Counter({ name, help, labelNames: [...labels], registers }));
    }
    for (const name of options.histograms ?? []) {
      const { help, labels, buckets } = HISTOGRAMS[name];
      this.histograms.set(name, new Histogram({ name, help, labelNames: [...labels], buckets: [...buckets], registers }));
    }
    for (const { name, help, labels } of options.gauges ?? []) {
      this.gauges.set(name, new Gauge({ name, help, labelNames: [...labels], registers }));
    }
    for (const { name, labels } of options.series ?? []) {
      this.counters.get(name as CounterName)?.inc(labels, 0);
      this.histograms.get(name as HistogramName)?.zero(labels);
    }
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  increment(name: CounterName, labels: Record<string, string> = {}, by = 1): void {
    const counter = this.counters.get(name);
    if (counter) counter.inc(known(COUNTERS[name].labels, labels), by);
  }

  observe(name: HistogramName, seconds: number, labels: Record<string, string> = {}): void {
    const histogram = this.histograms.get(name);
    if (histogram) histogram.observe(known(HISTOGRAMS[name].labels, labels), seconds);
  }

  /** The Prometheus text exposition of every metric, the scraped gauges read afresh. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    let reading: GaugeReading = {};
    try {
      reading = (await this.options.read?.()) ?? {};
    } catch (error) {
      this.options.onReadError?.(error);
    }
    for (const [name, gauge] of this.gauges) {
      gauge.reset();
      for (const { labels, value } of reading[name] ?? []) gauge.set(labels ?? {}, value);
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * prom-client refuses a label it was not told about up front; any other label is left out of the sample rather
 * than failing the handler that counts.
 */
function known(names: readonly string[], labels: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = labels[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}
