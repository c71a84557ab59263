import type { CommandSpec } from "./command.ts";
import { hashCommands } from "./hashes.ts";
import { keyCommands } from "./keys.ts";
import { listCommands } from "./lists.ts";
import { pubsubCommands } from "./pubsub.ts";
import { scriptingCommands } from "./scripting.ts";
import { setCommands } from "./sets.ts";
import { sortedSetCommands } from "./sorted-sets.ts";
import { stringCommands } from "./strings.ts";

/** Every command the simulated Redis implements, by lower-case name. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  Object.entries({
    ...keyCommands,
    ...stringCommands,
    ...setCommands,
    ...hashCommands,
    ...sortedSetCommands,
    ...listCommands,
    ...scriptingCommands,
    ...pubsubCommands,
  }),
);

export function arityMatches(spec: CommandSpec, argumentCount: number): boolean {
  const total = argumentCount + 1;
  return spec.arity > 0 ? total === spec.arity : total >= -spec.arity;
}
