export { MAX_PLAYERS, parseCreateSessionRequest, type CreateSessionRequest } from "./create-session-request.ts";
export {
  DedicatedServer,
  REMEMBERED_KEYS_LIMIT,
  type DedicatedServerOptions,
  type HttpReply,
  type RequestHeaders,
} from "./dedicated-server.ts";
export { REGISTRY_LAYOUTS, type RegistryLayout } from "./registry-layout.ts";
