import type { WorldOptions } from "../../scenario/options.ts";
import type { FaultKind } from "../fault-kind.ts";

/**
 * Per-operation faults (lost commands and replies, slow Redis, delayed messages, a dedicated server slow, failing,
 * garbled or unreachable, a retrying proxy's second try): drawn by the simulated ports on every operation while the active phase lasts, so
 * nothing is scheduled here.
 */
export default {
  name: "rates",
  summary: "Redis, network and dedicated-server faults drawn per operation at the scenario's rates (a retrying proxy's second try among them)",
  rank: 60,
  plan() {},
  smaller(options) {
    const smaller: WorldOptions[] = [];
    for (const [key, rate] of Object.entries(options.faults) as Array<[keyof WorldOptions["faults"], number]>) {
      if (rate > 0) smaller.push({ ...options, faults: { ...options.faults, [key]: 0 } });
    }
    return smaller;
  },
  stallMs: () => 0,
  losesInstances: () => false,
} satisfies FaultKind;
