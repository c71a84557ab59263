import { ErrorText } from "../protocol/index.ts";

/** Texts only the fixed server sends, next to the shared ones. */
export const FixedText = {
  ...ErrorText,
  connectionBound: "Connection already bound to another player",
  notEnqueued: "Enqueue before sending loading_complete",
  noServer: "No game server available. You have been returned to the queue.",
  allocationFailed: "Game server allocation failed. You have been returned to the queue.",
  loadingTimedOut: "Loading timed out. Enqueue again to play.",
  stateLost: "Your matchmaking state was lost. Enqueue again to play.",
  sessionLost: "Your loading session was lost. You have been returned to the queue.",
  tooManyFrames: "Too many messages: slow down",
  tooManyRequests: "Too many requests waiting for an answer",
} as const;

/** Close reason when this instance's matchmaking records are gone (it was declared dead, or Redis lost its data). */
export const STATE_LOST_REASON = "matchmaking state lost: enqueue again";
