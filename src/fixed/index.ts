export { createFixedServer, FixedServer } from "./server.ts";
export { finishFixedGame, registerFixedDedicatedServer, renewFixedDedicatedServer } from "./dedicated.ts";
export type { ServerRelease, Stats } from "./session.ts";
export { readStats } from "./stats.ts";
export {
  ENDED_SESSION_TTL_MS,
  HASH_TAG,
  KeyPrefix,
  Keys,
  LIVE_SESSION_TTL_GRACE_MS,
  PLAYER_STATES,
  SERVER_STATUSES,
  SESSION_STATUSES,
  type PlayerState,
  type ServerStatus,
  type SessionStatus,
} from "./keys.ts";
export { FixedText } from "./messages.ts";
export { parseInboxPayload, type InboxPayload } from "./inbox.ts";
export { SCRIPTS, SCRIPT_NAMES, type ScriptName } from "./scripts.ts";
