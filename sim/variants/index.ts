import type { Variant } from "../../src/server/match-server.ts";
import { fixedKit } from "./fixed/index.ts";
import type { VariantKit } from "./kit.ts";
import { legacyKit } from "./legacy/index.ts";

export type { CauseFacts, ForeignRedis, SeedDefect, VariantKit } from "./kit.ts";

/** The harness's knowledge of each server variant. */
export const KITS: Record<Variant, VariantKit> = { legacy: legacyKit, fixed: fixedKit };
