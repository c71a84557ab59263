import type { RedisArg, RedisReply } from "../../src/ports/index.ts";

/**
 * What one step did, as fields: built where the step is made (the simulated Redis connection, socket, HTTP
 * client, timer, player or fault), read by every consumer of a trace (reports, the oracle's hooks, signatures,
 * search). Labels for people are derived from these by `describe.ts`; nothing parses them back.
 */
export type StepEvent =
  | RedisEvent
  | DeliverEvent
  | FrameEvent
  | CloseEvent
  | HttpRequestEvent
  | HttpReplyEvent
  | HttpTimeoutEvent
  | TimerEvent
  | ClientEvent
  | FaultEvent;

export type StepKind = StepEvent["kind"];

/** Every kind, in the order reports list them. */
export const STEP_KINDS: readonly StepKind[] = [
  "redis",
  "deliver",
  "frame-in",
  "frame-out",
  "close",
  "http-request",
  "http-reply",
  "http-timeout",
  "timer",
  "client",
  "fault",
];

/** Steps whose code continues a chain rather than start one: a command's reply, an HTTP reply or timeout. */
export const CONTINUING_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["redis", "http-reply", "http-timeout"]);

/**
 * How a command fared: answered, answered with an error, lost on its way (the caller sees a connection error,
 * Redis never ran it), or run by Redis with its reply lost (the caller sees a connection error, the write stands).
 */
export type RedisOutcome = "ok" | "error" | "lost-before" | "lost-after";

export interface RedisEvent {
  kind: "redis";
  /** The connection's client name: an instance id, a dedicated server id, or `foreign`. */
  client: string;
  /** Upper case: `GET`, `EVAL`, `SUBSCRIBE`... */
  command: string;
  /** The script's name for EVAL, else null. */
  script: string | null;
  /** EVAL's KEYS; empty for other commands (their keys are among `args`, and in `reads` / `writes`). */
  keys: readonly string[];
  /** The arguments after the name; for EVAL its ARGV only (the body is named by `script`). */
  args: readonly RedisArg[];
  outcome: RedisOutcome;
  /** The reply when the command ran (`ok`, `lost-after`), else null. */
  reply: RedisReply;
  /** Redis's error text for `error`, else null. */
  error: string | null;
  /** Keys the command (or every command of the script) read, and the ones it may have written, sorted. */
  reads: readonly string[];
  writes: readonly string[];
  /** It read the whole keyspace (KEYS, SCAN, DBSIZE): it depends on every write. */
  readsAll: boolean;
}

/** A PUBLISH reaching one subscriber's listener. */
export interface DeliverEvent {
  kind: "deliver";
  subscriber: string;
  channel: string;
  message: string;
}

/** A WebSocket text frame arriving at its far end (`frame-in`: at the server; `frame-out`: at the player). */
export interface FrameEvent {
  kind: "frame-in" | "frame-out";
  connection: string;
  instance: string;
  player: string;
  text: string;
  /** The receiving end had closed: nobody read it. */
  dropped: boolean;
}

export interface CloseEvent {
  kind: "close";
  connection: string;
  instance: string;
  player: string;
  /** Who closed: the player, the server, or nobody (the instance died and the OS reset the socket). */
  by: "client" | "server" | "reset";
  /** What the receiving side saw: it learned of the close now, or it already knew. */
  result: "closed" | "already closed" | "reset";
}

export interface HttpRequestEvent {
  kind: "http-request";
  /** The instance that sent it. */
  instance: string;
  /** The dedicated server's id, null when no server has that address. */
  server: string | null;
  address: string;
  url: string;
  body: string;
  /**
   * What the server did with it: handled it, or a fault answered in its place: refused (`unreachable`), nothing
   * at all until the caller's timeout (`silent`), a 500 or a body out of contract; or handled it with its reply lost,
   * so that a proxy sends it again (`retried`: the retry is a request step of its own).
   */
  outcome: "handled" | "unreachable" | "silent" | "5xx" | "malformed" | "retried";
}

export interface HttpReplyEvent {
  kind: "http-reply";
  instance: string;
  address: string;
  url: string;
  status: number;
  body: string;
  /** The fault that made this reply, null for the server's own. */
  fault: "5xx" | "malformed" | null;
  /** The request had timed out already: the caller never saw this reply. */
  late: boolean;
}

export interface HttpTimeoutEvent {
  kind: "http-timeout";
  instance: string;
  url: string;
  timeoutMs: number;
}

export interface TimerEvent {
  kind: "timer";
  /** The instance (or dedicated server) whose timer it is. */
  owner: string;
  /** The name the server code gave it: `tick:Normal_1v1`, `sweep`, `heartbeat`... */
  timer: string;
}

export interface ClientEvent {
  kind: "client";
  player: string;
  /** What the player program did: `join`, `loading complete`, `quit during loading`, `reconnect`... */
  action: string;
}

export interface FaultEvent {
  kind: "fault";
  /** The fault kind's name: `crash`, `pause`, `restart`, `network-drop`, `foreign-write`... */
  fault: string;
  /** What it strikes: an instance slot, a player id, a key; empty when nothing in particular. */
  target: string;
  /** A parameter worth showing (`5000 ms`, `after: crash fault`), or empty. */
  note: string;
  /** What it did when it struck. */
  effect: string;
}
