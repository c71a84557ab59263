import { DEDICATED_SERVER_PREFIX, LOCK_PREFIX, queueKey } from "../../../src/legacy/keys.ts";
import { DEDICATED_PROBES } from "../../../src/dedicated/probes.ts";
import { LEGACY_PROBES } from "../../../src/legacy/probes.ts";
import { ErrorText } from "../../../src/protocol/index.ts";
import type { RequeueReason, VariantKit } from "../kit.ts";
import { corruptLegacy, publishLegacyGarbage } from "./corruptions.ts";
import { legacyCases } from "./script-cases.ts";
import { legacySeedDefect } from "./seed-defects.ts";
import { readLegacyView } from "./view.ts";

/** What a legacy dedicated server does: it registers with a SET, marks itself busy, and has no heartbeat. */
const LEGACY_SERVER_PROBES = Object.fromEntries(
  Object.entries(DEDICATED_PROBES).filter(([name]) => !/^ds\.(register_server|release_server|dedicated_server_(registration_lost|heartbeat_failed))/.test(name)),
);
const REASONS: ReadonlyMap<string, RequeueReason> = new Map<string, RequeueReason>([
  [ErrorText.peerDisconnected, "member-left"],
  [ErrorText.timedOut, "timed-out"],
]);

export const legacyKit: VariantKit = {
  readView: readLegacyView,
  corrupt: corruptLegacy,
  publishGarbage: publishLegacyGarbage,
  sharedKey: (key, config) => key.startsWith(queueKey(config, "")),
  serverKey: (id) => `${DEDICATED_SERVER_PREFIX}${id}`,
  lockKey: (key) => key.startsWith(LOCK_PREFIX),
  probes: { ...LEGACY_PROBES, ...LEGACY_SERVER_PROBES },
  requeueReason: (text) => REASONS.get(text) ?? null,
  // created_at is kept in whole seconds, and each instance reads its own clock.
  earlyTimeoutToleranceMs: 2_000,
  scriptCases: legacyCases,
  seedDefect: legacySeedDefect,
};
