import { KeyPrefix, Keys } from "../../../src/fixed/keys.ts";
import type { VariantKit } from "../kit.ts";
import { corruptFixed } from "./corruptions.ts";
import { fixedCases } from "./script-cases.ts";
import { readFixedView } from "./view.ts";

const SHARED: ReadonlySet<string> = new Set([Keys.deadlines, Keys.idleServers, Keys.instances, Keys.fence, Keys.seq]);

export const fixedKit: VariantKit = {
  readView: readFixedView,
  corrupt: corruptFixed,
  sharedKey: (key) => SHARED.has(key) || key.startsWith(KeyPrefix.queue) || key.startsWith(KeyPrefix.conns),
  // The fixed server holds no locks: every transition is one atomic script.
  lockKey: () => false,
  scriptCases: fixedCases,
};
