import type { MatchConfig } from "../config/config.ts";
import type { ClientSocket, ConnectionEvents, Ports, TimerHandle } from "../ports/index.ts";
import type { MatchServer } from "../server/match-server.ts";
import { LegacyConnection } from "./connection.ts";
import { Matchmaker } from "./matchmaker.ts";
import { Notifier } from "./notifier.ts";
import { probingLogger } from "../probes/catalog.ts";
import { LEGACY_PROBES } from "./probes.ts";

/** One legacy instance: the original's actix system (matchmaker, provider, subscriber, sessions). */
export class LegacyServer implements MatchServer {
  readonly variant = "legacy" as const;
  private readonly matchmaker: Matchmaker;
  private readonly notifier: Notifier;
  private timers: TimerHandle[] = [];
  private started = false;

  private readonly ports: Ports;

  constructor(
    private readonly config: MatchConfig,
    ports: Ports,
  ) {
    // Every logged branch is a probe too.
    this.ports = ports.probes ? { ...ports, logger: probingLogger(ports.logger, ports.probes, LEGACY_PROBES, "legacy.") } : ports;
    ports = this.ports;
    this.matchmaker = new Matchmaker(config, ports);
    this.notifier = new Notifier(ports.redis, ports.logger, ports.metrics);
  }

  async start(): Promise<void> {
    await this.notifier.start();
    const { timers } = this.ports;
    for (const mode of this.config.gameModes) {
      this.timers.push(timers.every(this.config.matchTickMs, `tick:${mode.name}`, () => this.matchmaker.tryMatch(mode)));
    }
    this.timers.push(
      timers.every(this.config.staleSweepMs, "sweep", () => this.matchmaker.checkStaleLoadingSessions()),
    );
    this.started = true;
    this.ports.logger.log("info", "server_started", { variant: this.variant, instance: this.ports.instanceId });
  }

  ready(): boolean {
    return this.started;
  }

  connect(socket: ClientSocket): ConnectionEvents {
    return new LegacyConnection(socket, this.matchmaker, this.notifier, this.ports, this.config);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
    this.started = false;
  }
}

export function createLegacyServer(config: MatchConfig, ports: Ports): MatchServer {
  return new LegacyServer(config, ports);
}
