import type { Redis } from "ioredis";
import type { KeyspaceSource } from "../oracle/server-view.ts";
import type { KeyValue, RedisArg, RedisReply } from "../redis/contract.ts";

/**
 * Every key with its type, contents and PTTL, read by one script: Redis runs it atomically, so the view is
 * of one instant. Read key by key over many round trips, a player moving from a queue into a session could
 * be seen in both and be reported as placed twice.
 */
const DUMP = `
local out = {}
for _, key in ipairs(redis.call('KEYS', '*')) do
  local kind = redis.call('TYPE', key).ok
  local value = {}
  if kind == 'string' then value = { redis.call('GET', key) }
  elseif kind == 'set' then value = redis.call('SMEMBERS', key)
  elseif kind == 'hash' then value = redis.call('HGETALL', key)
  elseif kind == 'zset' then value = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  elseif kind == 'list' then value = redis.call('LRANGE', key, 0, -1)
  end
  out[#out + 1] = { key, kind, redis.call('PTTL', key), value }
end
return out
`;

interface Entry {
  value: KeyValue | null;
  pttl: number;
}

/** A real Redis's keyspace as it was at one instant, readable by the oracle's view readers. */
export class RedisSnapshot implements KeyspaceSource {
  constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  keys(): string[] {
    return [...this.entries.keys()].sort();
  }

  inspect(key: string): KeyValue | null {
    return this.entries.get(key)?.value ?? null;
  }

  /** Only what the readers ask: `PTTL key`, -2 for a key that did not exist. */
  execute(command: string, args: readonly RedisArg[]): RedisReply {
    if (command.toUpperCase() !== "PTTL" || args.length !== 1) throw new Error(`a snapshot answers PTTL only, not ${command}`);
    return this.entries.get(String(args[0]))?.pttl ?? -2;
  }
}

function pairs(items: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i] as string, items[i + 1] as string]);
  return out;
}

function valueOf(kind: string, items: string[]): KeyValue | null {
  switch (kind) {
    case "string":
      return { type: "string", value: items[0] ?? "" };
    case "set":
      return { type: "set", value: items };
    case "hash":
      return { type: "hash", value: Object.fromEntries(pairs(items)) };
    case "zset":
      return { type: "zset", value: pairs(items).map(([member, score]) => [member, Number(score)]) };
    case "list":
      return { type: "list", value: items };
    default:
      // Streams and other types: present, but nothing the readers look into.
      return null;
  }
}

export async function snapshotRedis(redis: Redis): Promise<RedisSnapshot> {
  const reply = (await redis.eval(DUMP, 0)) as Array<[string, string, number, string[]]>;
  const entries = new Map<string, Entry>();
  for (const [key, kind, pttl, items] of reply) entries.set(key, { value: valueOf(kind, items.map(String)), pttl });
  return new RedisSnapshot(entries);
}
