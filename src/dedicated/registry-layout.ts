import { finishFixedGame, registerFixedDedicatedServer, renewFixedDedicatedServer, type ServerRelease } from "../fixed/index.ts";
import { markLegacyDedicatedServerBusy, registerLegacyDedicatedServer } from "../legacy/index.ts";
import type { RedisPort } from "../ports/index.ts";
import type { Variant } from "../server/match-server.ts";

/** How a dedicated server appears in one variant's Redis layout. */
export interface RegistryLayout {
  /** Announces the server idle (fixed: for `ttlMs`, and a server an allocation holds stays claimed). */
  register(redis: RedisPort, id: string, address: string, ttlMs: number): Promise<void>;
  /**
   * Renews the registration for `ttlMs`; false when it is gone (reaped, or Redis lost its data). Absent where a
   * registration never expires.
   */
  renew?(redis: RedisPort, id: string, address: string, ttlMs: number): Promise<boolean>;
  /** What the server itself records when it takes a session. */
  markBusy(redis: RedisPort, id: string, address: string): Promise<void>;
  /** What the server records when a game it hosted is over and it hosts nothing else. */
  finishGame(redis: RedisPort, id: string, address: string, gameSession: string): Promise<ServerRelease>;
}

export const REGISTRY_LAYOUTS: Record<Variant, RegistryLayout> = {
  // The original registers once, at start, with no expiry: a server that dies stays listed. The harness is
  // meant to find that, so the port keeps it.
  legacy: {
    register: (redis, id, address) => registerLegacyDedicatedServer(redis, id, address),
    markBusy: markLegacyDedicatedServerBusy,
    // Legacy's registry is the server's own JSON: idle again is registering again.
    finishGame: async (redis, id, address) => {
      await registerLegacyDedicatedServer(redis, id, address);
      return "released";
    },
  },
  // The fixed match server's scripts move a server idle -> claimed -> busy; the server keeps its registration
  // alive with a heartbeat and, when a game ends, asks the release script to move it back if it is still busy
  // with that game.
  fixed: {
    register: registerFixedDedicatedServer,
    renew: renewFixedDedicatedServer,
    markBusy: async () => {},
    finishGame: (redis, id, _address, gameSession) => finishFixedGame(redis, id, gameSession),
  },
};
