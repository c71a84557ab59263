import type { CommandTable } from "./command.ts";

export const pubsubCommands: CommandTable = {
  publish: { arity: 3, run: (ctx, [channel, message]) => ctx.publish(channel as string, message as string) },
};
