import { ErrorText } from "../protocol/index.ts";

/** Texts only the fixed server sends, next to the shared ones. */
export const FixedText = {
  ...ErrorText,
  notEnqueued: "Enqueue before sending loading_complete",
  noServer: "No game server available. You have been returned to the queue.",
  allocationFailed: "Game server allocation failed. You have been returned to the queue.",
  loadingTimedOut: "Loading timed out. Enqueue again to play.",
  stateLost: "Your matchmaking state was lost. Enqueue again to play.",
  sessionLost: "Your loading session was lost. You have been returned to the queue.",
} as const;

/** Close reason when this instance's matchmaking records are gone (it was declared dead, or Redis lost its data). */
export const STATE_LOST_REASON = "matchmaking state lost: enqueue again";
