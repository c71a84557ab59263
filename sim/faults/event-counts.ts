import type { WorldOptions } from "../scenario/options.ts";
import type { FaultEvents } from "./parameters.ts";

/** Worlds with fewer events of one kind: none at all, then one fewer. */
export function fewerEvents(options: WorldOptions, key: Exclude<keyof FaultEvents, "maxSkewMs">): WorldOptions[] {
  const count = options.events[key] ?? 0;
  const smaller: WorldOptions[] = [];
  if (count > 0) smaller.push({ ...options, events: { ...options.events, [key]: 0 } });
  if (count > 1) smaller.push({ ...options, events: { ...options.events, [key]: count - 1 } });
  return smaller;
}
