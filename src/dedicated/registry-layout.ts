import { finishFixedGame, registerFixedDedicatedServer, type ServerRelease } from "../fixed/index.ts";
import { markLegacyDedicatedServerBusy, registerLegacyDedicatedServer } from "../legacy/index.ts";
import type { RedisPort } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";

/** How a dedicated server appears in one variant's Redis layout. */
export interface RegistryLayout {
  register(redis: RedisPort, id: string, address: string): Promise<void>;
  /** What the server itself records when it takes a session. */
  markBusy(redis: RedisPort, id: string, address: string): Promise<void>;
  /** What the server records when a game it hosted is over and it hosts nothing else. */
  finishGame(redis: RedisPort, id: string, address: string, gameSession: string): Promise<ServerRelease>;
}

export const REGISTRY_LAYOUTS: Record<Variant, RegistryLayout> = {
  legacy: {
    register: registerLegacyDedicatedServer,
    markBusy: markLegacyDedicatedServerBusy,
    // Legacy's registry is the server's own JSON: idle again is registering again.
    finishGame: async (redis, id, address) => {
      await registerLegacyDedicatedServer(redis, id, address);
      return "released";
    },
  },
  // The fixed match server's scripts move a server idle -> claimed -> busy; the server registers and, when a
  // game ends, asks the release script to move it back if it is still busy with that game.
  fixed: {
    register: registerFixedDedicatedServer,
    markBusy: async () => {},
    finishGame: (redis, id, _address, gameSession) => finishFixedGame(redis, id, gameSession),
  },
};
