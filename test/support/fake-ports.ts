import seedrandom from "seedrandom";
import type {
  CounterName,
  HistogramName,
  HttpPort,
  HttpRequestOptions,
  HttpResponse,
  Logger,
  LogFields,
  LogLevel,
  Metrics,
  Random,
  Supervisor,
} from "../../src/ports/index.ts";

export class SeededRandom implements Random {
  private readonly next: () => number;
  constructor(seed: string) {
    this.next = seedrandom(seed);
  }
  private hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
  uuid(): string {
    const variant = (8 + Math.floor(this.next() * 4)).toString(16);
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
  token(): string {
    return this.hex(32);
  }
}

export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: LogFields;
}

export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    this.entries.push({ level, event, fields });
  }
  events(): string[] {
    return this.entries.map((entry) => entry.event);
  }
}

export class CountingMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  readonly observations: Array<{ name: HistogramName; seconds: number; labels: Record<string, string> }> = [];
  increment(name: CounterName, _labels?: Record<string, string>, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }
  observe(name: HistogramName, seconds: number, labels: Record<string, string> = {}): void {
    this.observations.push({ name, seconds, labels });
  }
  count(name: CounterName): number {
    return this.counts.get(name) ?? 0;
  }
}

/** Runs handlers like the real process, but keeps what escapes them instead of dying. */
export class CapturingSupervisor implements Supervisor {
  readonly escaped: Array<{ handler: string; error: unknown }> = [];
  private readonly running = new Set<Promise<void>>();
  spawn(handler: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => void this.escaped.push({ handler, error }))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

export interface HttpCall {
  url: string;
  body: string;
  options: HttpRequestOptions;
}

/** Answers POSTs with whatever the test queued; an Error in the queue is thrown (unreachable). */
export class ScriptedHttp implements HttpPort {
  readonly calls: HttpCall[] = [];
  private readonly replies: Array<HttpResponse | Error | ((call: HttpCall) => HttpResponse | Error)> = [];
  reply(...replies: Array<HttpResponse | Error | ((call: HttpCall) => HttpResponse | Error)>): this {
    this.replies.push(...replies);
    return this;
  }
  async post(url: string, body: string, options: HttpRequestOptions): Promise<HttpResponse> {
    const call = { url, body, options };
    this.calls.push(call);
    const next = this.replies.shift();
    if (next === undefined) throw new Error(`ScriptedHttp: no reply queued for ${url}`);
    const reply = typeof next === "function" ? next(call) : next;
    if (reply instanceof Error) throw reply;
    return reply;
  }
}
