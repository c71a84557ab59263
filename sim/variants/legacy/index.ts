import { LOCK_PREFIX, queueKey } from "../../../src/legacy/keys.ts";
import type { VariantKit } from "../kit.ts";
import { corruptLegacy } from "./corruptions.ts";
import { legacyCases } from "./script-cases.ts";
import { legacySeedDefect } from "./seed-defects.ts";
import { readLegacyView } from "./view.ts";

export const legacyKit: VariantKit = {
  readView: readLegacyView,
  corrupt: corruptLegacy,
  sharedKey: (key, config) => key.startsWith(queueKey(config, "")),
  lockKey: (key) => key.startsWith(LOCK_PREFIX),
  scriptCases: legacyCases,
  seedDefect: legacySeedDefect,
};
