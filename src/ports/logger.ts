export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Record<string, string | number | boolean | null | undefined | readonly string[]>;

/** Structured logging: an event name and flat fields, never a formatted sentence. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}
