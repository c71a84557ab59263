import { registerFixedDedicatedServer } from "../fixed/index.ts";
import { markLegacyDedicatedServerBusy, registerLegacyDedicatedServer } from "../legacy/index.ts";
import type { RedisPort } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";

/** How a dedicated server appears in one variant's Redis layout. */
export interface RegistryLayout {
  register(redis: RedisPort, id: string, address: string): Promise<void>;
  /** What the server itself records when it takes a session. */
  markBusy(redis: RedisPort, id: string, address: string): Promise<void>;
}

export const REGISTRY_LAYOUTS: Record<Variant, RegistryLayout> = {
  legacy: { register: registerLegacyDedicatedServer, markBusy: markLegacyDedicatedServerBusy },
  // The fixed match server's scripts move a server idle -> claimed -> busy; the server only registers.
  fixed: { register: registerFixedDedicatedServer, markBusy: async () => {} },
};
