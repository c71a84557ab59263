export { MAX_PLAYERS, parseCreateSessionRequest, type CreateSessionRequest } from "./create-session-request.ts";
export {
  DedicatedServer,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_REGISTRATION_TTL_MS,
  idempotencyKeyOf,
  PENDING_RELEASE_RETRY_MS,
  RELEASE_ATTEMPTS,
  RELEASE_RETRY_MS,
  REMEMBERED_KEYS_LIMIT,
  type DedicatedServerOptions,
  type GameLength,
  type HttpReply,
  type RequestHeaders,
} from "./dedicated-server.ts";
export { REGISTRY_LAYOUTS, type RegistryLayout } from "./registry-layout.ts";
