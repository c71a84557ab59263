/** Per-operation fault probabilities. All are zero in the settle phase. */
export interface FaultRates {
  /** A Redis command is lost before Redis applies it (the caller sees a connection error). */
  redisFailBefore: number;
  /** Redis applies the command but the reply is lost. */
  redisFailAfter: number;
  /** A Redis command takes 100 ms to 2 s. */
  redisSlow: number;
  /** A frame or pub/sub delivery takes 100 ms to 3 s. */
  messageDelay: number;
  /** A dedicated server answers after 1 to 8 s. */
  serverSlow: number;
  /** A dedicated server answers 500. */
  serverError: number;
  /** A dedicated server answers 200 with a body that is not the contract. */
  serverMalformed: number;
  /** A dedicated server cannot be reached: the call is refused, or (half the time) meets silence until it times out. */
  serverUnreachable: number;
  /** A SUBSCRIBE (or PSUBSCRIBE) is lost on its way: the caller sees a connection error and is not subscribed. */
  subscribeFail?: number;
  /**
   * A dedicated server's reply to a create call is lost on the way back, and a retrying proxy in between sends the
   * same request again (same body and Idempotency-Key) a moment later; the caller gets the retry's answer.
   */
  serverRetried?: number;
}

export const NO_FAULTS: FaultRates = {
  redisFailBefore: 0,
  redisFailAfter: 0,
  redisSlow: 0,
  messageDelay: 0,
  serverSlow: 0,
  serverError: 0,
  serverMalformed: 0,
  serverUnreachable: 0,
  subscribeFail: 0,
};

/** Faults that happen once, at a time drawn for the run. */
export interface FaultEvents {
  /** Instance crashes; each restarts after a delay. */
  crashes: number;
  /** Process pauses of several seconds (long enough for locks and presence to expire). */
  pauses: number;
  /** Clients whose network drops silently (the server learns by heartbeat), then reconnect. */
  disconnects: number;
  /** Writes of garbage into the server's keys by a foreign writer. */
  corruptions: number;
  /** Payloads that are not the contract published by a foreign publisher on the server's channels. */
  garbagePublishes?: number;
  /** Instances whose subscriptions drop with their connection, to come back a moment later (what was published meanwhile is lost). */
  subscriptionLosses?: number;
  /** Largest clock skew of an instance, either way, in milliseconds. */
  maxSkewMs: number;
  /** Restarts of Redis that lose every key, every script and every connection (no persistence, a failover). */
  redisRestarts?: number;
  /**
   * Restarts of Redis from a snapshot some seconds old (RDB or AOF persistence, a failover to a lagging replica):
   * every key as it was then, later writes lost, every script and connection gone.
   */
  redisRollbacks?: number;
  /**
   * Steps of Redis's clock, forward or back (an NTP step on its host, a failover to a replica whose clock differs):
   * every deadline and expiry the server keeps in Redis time moves with it.
   */
  redisClockJumps?: number;
  /** Times Redis is unreachable for a moment and comes back with its data (a partition, a failover that keeps it). */
  redisOutages?: number;
  /** Dedicated server processes that die (with or without a game); half of them are started again later. */
  serverDeaths?: number;
  /**
   * Calls to a dedicated server from something other than a match server: a port scanner's junk, a client of
   * another version, a create call replayed long after its answer.
   */
  foreignCalls?: number;
}

export const NO_EVENTS: FaultEvents = { crashes: 0, pauses: 0, disconnects: 0, corruptions: 0, maxSkewMs: 0, redisRestarts: 0, serverDeaths: 0 };
