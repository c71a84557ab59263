/** Client to server frames (JSON text on `/ws/`). Ids are kept as strings: validating them is the server's job. */
export type ClientFrame =
  | { type: "enqueue"; player_id: string; game_mode: string }
  | { type: "loading_complete"; loading_session_id: string };

/** Server to client messages. */
export type ServerMessage =
  | { type: "queued" }
  | { type: "start_loading"; loading_session_id: string }
  | { type: "match_found"; session_id: string; server_address: string }
  | { type: "error"; message: string };

export const ErrorText = {
  invalidFormat: "Invalid message format",
  alreadyInQueue: "Already in queue",
  internal: "Internal server error",
  invalidGameMode: (mode: string) => `Invalid game mode: ${mode}`,
  peerDisconnected: "A player disconnected during loading. You have been returned to the queue.",
  timedOut: "Matchmaking timed out. You have been returned to the queue.",
  /** The fixed server's word to a connection whose player enqueued from another one: this connection is over. */
  replaced: "Another connection took over this player",
  /** The fixed server's refusals of one frame: an enqueue for another player, a frame over the rate or in-flight bound. */
  connectionBound: "Connection already bound to another player",
  tooManyFrames: "Too many messages: slow down",
  tooManyRequests: "Too many requests waiting for an answer",
} as const;

/**
 * Errors that refuse the one frame they answer and change nothing else: a client keeps its state (queued, loading)
 * through them.
 */
export const FRAME_REFUSALS: ReadonlySet<string> = new Set([
  ErrorText.invalidFormat,
  ErrorText.alreadyInQueue,
  ErrorText.connectionBound,
  ErrorText.tooManyFrames,
  ErrorText.tooManyRequests,
]);
