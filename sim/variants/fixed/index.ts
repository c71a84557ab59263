import { KeyPrefix, Keys } from "../../../src/fixed/keys.ts";
import { DEDICATED_PROBES } from "../../../src/dedicated/probes.ts";
import { FIXED_PROBES } from "../../../src/fixed/probes.ts";
import type { VariantKit } from "../kit.ts";
import { corruptFixed } from "./corruptions.ts";
import { fixedCases } from "./script-cases.ts";
import { readFixedView } from "./view.ts";

/** What a fixed dedicated server does: every probe but the legacy layout's busy mark. */
const FIXED_SERVER_PROBES = Object.fromEntries(Object.entries(DEDICATED_PROBES).filter(([name]) => name !== "ds.dedicated_server_registry_failed"));

const SHARED: ReadonlySet<string> = new Set([Keys.deadlines, Keys.idleServers, Keys.instances, Keys.fence, Keys.seq]);

export const fixedKit: VariantKit = {
  readView: readFixedView,
  corrupt: corruptFixed,
  sharedKey: (key) => SHARED.has(key) || key.startsWith(KeyPrefix.queue) || key.startsWith(KeyPrefix.conns),
  // The fixed server holds no locks: every transition is one atomic script.
  lockKey: () => false,
  probes: { ...FIXED_PROBES, ...FIXED_SERVER_PROBES },
  scriptCases: fixedCases,
};
