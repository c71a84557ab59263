import type { ClientSocket, ConnectionEvents } from "../ports/index.ts";

export type Variant = "legacy" | "fixed";

export const VARIANTS: readonly Variant[] = ["legacy", "fixed"];

/**
 * One server instance: what a process (or a simulated instance) runs. The transport hands each new client
 * socket to `connect` and feeds the returned events.
 */
export interface MatchServer {
  readonly variant: Variant;
  /** Subscribes to notifications and starts the periodic work (ticks, sweeps, presence). */
  start(): Promise<void>;
  connect(socket: ClientSocket): ConnectionEvents;
  /** Whether it takes enqueues now (fixed: its presence is registered and its inbox subscribed). */
  ready(): boolean;
  /** Stops timers and accepting work; in-flight handlers finish on their own. */
  stop(): Promise<void>;
}
