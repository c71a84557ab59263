export { createLegacyServer, LegacyServer } from "./server.ts";
export { markLegacyDedicatedServerBusy, registerLegacyDedicatedServer } from "./dedicated-servers.ts";
export { parseUuidOrPanic } from "./uuid.ts";
