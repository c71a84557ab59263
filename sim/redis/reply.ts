import type { RedisReply } from "./contract.ts";

/**
 * A status reply (`+OK`). Clients see it as a plain string, but Lua sees `{ok = "OK"}`, so commands keep
 * the distinction until the reply leaves the engine.
 */
export class Status {
  constructor(readonly text: string) {}
}

export const OK = new Status("OK");
export const PONG = new Status("PONG");

export type EngineReply = RedisReply | Status | EngineReply[];

export function toClientReply(reply: EngineReply): RedisReply {
  if (reply instanceof Status) return reply.text;
  if (Array.isArray(reply)) {
    // Only nested script replies can carry statuses inside arrays; plain command arrays pass through.
    for (const item of reply) if (item instanceof Status || Array.isArray(item)) return reply.map(toClientReply);
    return reply as RedisReply[];
  }
  return reply;
}
