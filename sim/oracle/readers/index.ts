import type { MatchConfig } from "../../../src/config/config.ts";
import type { Variant } from "../../../src/server/match-server.ts";
import type { KeyspaceSource, ServerView } from "../server-view.ts";
import { readFixedView } from "./fixed.ts";
import { readLegacyView } from "./legacy.ts";

export type ViewReader = (redis: KeyspaceSource, config: MatchConfig) => ServerView;

export function readerFor(variant: Variant): ViewReader {
  return variant === "legacy" ? readLegacyView : readFixedView;
}
