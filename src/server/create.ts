import type { MatchConfig } from "../config/config.ts";
import { createFixedServer } from "../fixed/index.ts";
import { createLegacyServer } from "../legacy/index.ts";
import type { Ports } from "../ports/index.ts";
import type { MatchServer, Variant } from "./match-server.ts";

export function createMatchServer(variant: Variant, config: MatchConfig, ports: Ports): MatchServer {
  return variant === "legacy" ? createLegacyServer(config, ports) : createFixedServer(config, ports);
}
