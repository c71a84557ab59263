import { LOCK_PREFIX, queueKey } from "../../../src/legacy/keys.ts";
import { ErrorText } from "../../../src/protocol/index.ts";
import type { RequeueReason, VariantKit } from "../kit.ts";
import { corruptLegacy } from "./corruptions.ts";
import { legacyCases } from "./script-cases.ts";
import { readLegacyView } from "./view.ts";

const REASONS: ReadonlyMap<string, RequeueReason> = new Map<string, RequeueReason>([
  [ErrorText.peerDisconnected, "member-left"],
  [ErrorText.timedOut, "timed-out"],
]);

export const legacyKit: VariantKit = {
  readView: readLegacyView,
  corrupt: corruptLegacy,
  sharedKey: (key, config) => key.startsWith(queueKey(config, "")),
  lockKey: (key) => key.startsWith(LOCK_PREFIX),
  requeueReason: (text) => REASONS.get(text) ?? null,
  scriptCases: legacyCases,
};
