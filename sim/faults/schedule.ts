import type { PendingSteps } from "../scheduler/pending-steps.ts";
import { stepLabel } from "../trace/describe.ts";
import type { FaultEvent } from "../trace/events.ts";
import type { FaultSpec } from "./fault-kind.ts";

/**
 * A fault as a step on the world's lane. Faults that read the same (`crash i1`) share one FIFO source, so two of
 * them strike in the order they were planned.
 */
export function scheduleFault(steps: PendingSteps, delayMs: number, spec: FaultSpec, effect: () => string): void {
  const described: FaultEvent = { kind: "fault", ...spec, effect: "" };
  steps.add({ lane: "world", source: `fault:${stepLabel(described)}`, owner: null, kind: "fault", readyAt: steps.now + delayMs }, () => ({
    kind: "fault",
    fault: spec.fault,
    target: spec.target,
    note: spec.note,
    effect: effect(),
  }));
}
