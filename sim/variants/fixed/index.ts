import { KeyPrefix, Keys } from "../../../src/fixed/keys.ts";
import { DEDICATED_PROBES } from "../../../src/dedicated/probes.ts";
import { FIXED_PROBES } from "../../../src/fixed/probes.ts";
import { FixedText } from "../../../src/fixed/messages.ts";
import type { RequeueReason } from "../kit.ts";
import type { VariantKit } from "../kit.ts";
import { corruptFixed, publishFixedGarbage } from "./corruptions.ts";
import { countedStats, reportedStats } from "./operator-stats.ts";
import { fixedCases } from "./script-cases.ts";
import { readFixedView } from "./view.ts";

/** What a fixed dedicated server does: every probe but the legacy layout's busy mark. */
const FIXED_SERVER_PROBES = Object.fromEntries(Object.entries(DEDICATED_PROBES).filter(([name]) => name !== "ds.dedicated_server_registry_failed"));
const REASONS: ReadonlyMap<string, RequeueReason> = new Map<string, RequeueReason>([
  [FixedText.noServer, "no-server"],
  [FixedText.allocationFailed, "allocation-failed"],
  [FixedText.peerDisconnected, "member-left"],
  [FixedText.timedOut, "timed-out"],
  // Told a member that was not ready when its session expired: no re-queue, but a timeout all the same.
  [FixedText.loadingTimedOut, "timed-out"],
]);

const SHARED: ReadonlySet<string> = new Set([Keys.deadlines, Keys.idleServers, Keys.instances, Keys.fence, Keys.seq, Keys.epoch]);

export const fixedKit: VariantKit = {
  readView: readFixedView,
  corrupt: corruptFixed,
  publishGarbage: publishFixedGarbage,
  sharedKey: (key) => SHARED.has(key) || key.startsWith(KeyPrefix.queue) || key.startsWith(KeyPrefix.conns),
  serverKey: (id) => Keys.server(id),
  // The fixed server holds no locks: every transition is one atomic script.
  lockKey: () => false,
  probes: { ...FIXED_PROBES, ...FIXED_SERVER_PROBES },
  requeueReason: (text) => REASONS.get(text) ?? null,
  // Deadlines are Redis TIME in ms, and the sweep takes only those already past.
  earlyTimeoutToleranceMs: 0,
  scriptCases: fixedCases,
  operatorStats: { reported: reportedStats, counted: countedStats },
};
