import type { MatchConfig } from "../config/config.ts";
import { Heartbeat } from "../connection/heartbeat.ts";
import type { ClientSocket, ConnectionEvents, Ports } from "../ports/index.ts";
import { encodeServerMessage, ErrorText, parseClientFrame, type ServerMessage } from "../protocol/index.ts";
import type { Matchmaker } from "./matchmaker.ts";
import type { Notifier, NotificationTarget } from "./notifier.ts";

/**
 * The original `MatchmakingSession`: one per WebSocket. It remembers the first enqueue's player and mode
 * and the last `start_loading` it forwarded (never cleared), and on close tells the matchmaker to cancel
 * that loading session or, failing that, to dequeue the player.
 */
export class LegacyConnection implements ConnectionEvents, NotificationTarget {
  private playerId: string | null = null;
  private gameMode: string | null = null;
  private loadingSessionId: string | null = null;
  private closed = false;
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly socket: ClientSocket,
    private readonly matchmaker: Matchmaker,
    private readonly notifier: Notifier,
    private readonly ports: Ports,
    config: MatchConfig,
  ) {
    this.heartbeat = new Heartbeat(ports.clock, ports.timers, config.heartbeatIntervalMs, config.clientTimeoutMs, {
      ping: () => socket.ping(),
      timedOut: () => {
        ports.logger.log("info", "heartbeat_timeout", { player: this.playerId });
        socket.close();
        this.onClose();
      },
    });
  }

  onText(text: string): void {
    if (this.closed) return;
    const frame = parseClientFrame(text);
    if (!frame.ok) {
      this.ports.logger.log("warn", "frame_rejected", { kind: frame.error.kind, detail: frame.error.detail });
      this.ports.metrics.increment("rejected_inputs_total", { reason: frame.error.kind });
      this.socket.send(encodeServerMessage({ type: "error", message: ErrorText.invalidFormat }));
      return;
    }
    switch (frame.value.type) {
      case "enqueue": {
        const { player_id: player, game_mode: mode } = frame.value;
        if (this.playerId !== null) {
          this.ports.logger.log("warn", "enqueue_repeated", { player, registered: this.playerId });
          return;
        }
        this.playerId = player;
        this.gameMode = mode;
        this.notifier.register(player, this);
        this.matchmaker.enqueuePlayer(player, mode);
        return;
      }
      case "loading_complete": {
        if (this.playerId === null) {
          this.ports.logger.log("warn", "loading_complete_without_player", {
            session: frame.value.loading_session_id,
          });
          return;
        }
        this.matchmaker.handleLoadingComplete(this.playerId, frame.value.loading_session_id);
        return;
      }
    }
  }

  /** Only pongs count as a sign of life, as in actix's heartbeat (text frames do not). */
  onPong(): void {
    this.heartbeat.alive();
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.heartbeat.stop();
    if (this.playerId === null) return;
    this.notifier.deregister(this.playerId);
    if (this.loadingSessionId !== null) {
      this.matchmaker.cancelLoadingSession(this.playerId, this.loadingSessionId);
    } else if (this.gameMode !== null) {
      this.matchmaker.dequeuePlayer(this.playerId, this.gameMode);
    }
  }

  deliver(message: ServerMessage): void {
    if (message.type === "start_loading") this.loadingSessionId = message.loading_session_id;
    this.socket.send(encodeServerMessage(message));
  }
}
