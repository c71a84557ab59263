import type { LogFields, Logger, LogLevel } from "../ports/index.ts";

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const RESERVED = new Set(["time", "level", "instance", "event"]);

export interface LineSink {
  write(line: string): unknown;
}

export function isLogLevel(text: string): text is LogLevel {
  return Object.hasOwn(SEVERITY, text);
}

/**
 * One JSON object per line: `time`, `level`, `instance`, `event`, then the event's fields flattened so log
 * tools can filter on them. A field that would shadow one of the four is renamed `field_<name>`.
 */
export class JsonLogger implements Logger {
  constructor(
    private readonly sink: LineSink,
    private readonly instance: string,
    private readonly minimum: LogLevel = "info",
    private readonly now: () => number = Date.now,
  ) {}

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    if (SEVERITY[level] < SEVERITY[this.minimum]) return;
    const line: Record<string, unknown> = {
      time: new Date(this.now()).toISOString(),
      level,
      instance: this.instance,
      event,
    };
    for (const [name, value] of Object.entries(fields)) {
      line[RESERVED.has(name) ? `field_${name}` : name] = value;
    }
    this.sink.write(`${JSON.stringify(line)}\n`);
  }
}
