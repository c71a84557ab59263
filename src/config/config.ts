export interface GameMode {
  name: string;
  requiredPlayers: number;
}

/** Every interval and limit the server has, with the legacy server's defaults. */
export interface MatchConfig {
  gameModes: GameMode[];
  matchTickMs: number;
  staleSweepMs: number;
  loadingTimeoutMs: number;
  lockDurationMs: number;
  queueKeyPrefix: string;
  heartbeatIntervalMs: number;
  clientTimeoutMs: number;
  /** Limit on one `POST /session/create`. */
  allocationRequestTimeoutMs: number;
  /** fixed: how long a session may stay `allocating` before the sweep rolls it back. */
  allocationTimeoutMs: number;
  /** fixed: an instance that has not renewed its presence for this long is declared dead. */
  instanceTtlMs: number;
  /** fixed: how often an instance renews its presence and reaps dead instances. */
  presenceIntervalMs: number;
  /** fixed: longest wait for Redis on an enqueue before the client is told it failed. */
  enqueueTimeoutMs: number;
  /** fixed: frames a connection may send per second (and in one burst); more are refused, then the socket closed. */
  maxFramesPerSecond: number;
  /** fixed: a connection's requests waiting or running at once; more are refused until some finish. */
  maxHandlersPerConnection: number;
}

export const DEFAULT_CONFIG: MatchConfig = {
  gameModes: [{ name: "Normal_1v1", requiredPlayers: 2 }],
  matchTickMs: 5_000,
  staleSweepMs: 60_000,
  loadingTimeoutMs: 60_000,
  lockDurationMs: 10_000,
  queueKeyPrefix: "queue",
  heartbeatIntervalMs: 5_000,
  clientTimeoutMs: 10_000,
  allocationRequestTimeoutMs: 5_000,
  allocationTimeoutMs: 15_000,
  instanceTtlMs: 15_000,
  presenceIntervalMs: 5_000,
  enqueueTimeoutMs: 2_000,
  maxFramesPerSecond: 20,
  maxHandlersPerConnection: 8,
};

export function findGameMode(config: MatchConfig, name: string): GameMode | undefined {
  return config.gameModes.find((mode) => mode.name === name);
}
