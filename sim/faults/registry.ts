import { assert } from "../assert.ts";
import { loadFolder } from "../modules.ts";
import type { FaultKind } from "./fault-kind.ts";

function isFaultKind(value: unknown): value is FaultKind {
  const kind = value as Partial<FaultKind> | null;
  return (
    typeof kind === "object" &&
    kind !== null &&
    typeof kind.name === "string" &&
    typeof kind.rank === "number" &&
    typeof kind.plan === "function" &&
    typeof kind.smaller === "function" &&
    typeof kind.stallMs === "function" &&
    typeof kind.losesInstances === "function"
  );
}

/** Every fault kind, one module per file under `kinds/`, in rank order: the order the world plans them in. */
export const FAULT_KINDS: readonly FaultKind[] = (await loadFolder(new URL("./kinds/", import.meta.url), isFaultKind, "a fault kind")).sort(
  (a, b) => a.rank - b.rank || a.name.localeCompare(b.name),
);

assert(new Set(FAULT_KINDS.map((kind) => kind.name)).size === FAULT_KINDS.length, "two fault kinds share a name");

/** How long faults can hold an instance's work back in a world, in ms: the longest any kind can. */
export function stallMs(options: Parameters<FaultKind["stallMs"]>[0]): number {
  return Math.max(0, ...FAULT_KINDS.map((kind) => kind.stallMs(options)));
}

/** Some kind can take an instance away in this world. */
export function losesInstances(options: Parameters<FaultKind["losesInstances"]>[0]): boolean {
  return FAULT_KINDS.some((kind) => kind.losesInstances(options));
}
