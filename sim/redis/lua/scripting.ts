import type { RedisReply } from "../contract.ts";
import { ERR, fail } from "../errors.ts";
import { parseInteger } from "../numbers.ts";
import { LuaRuntime, sha1Hex, type ScriptHost } from "./runtime.ts";

/**
 * The script cache behind EVAL, EVALSHA and SCRIPT. The Lua state is created on first use, so engines
 * that never run a script stay cheap.
 */
export class Scripting {
  private runtime: LuaRuntime | null = null;
  /** sha1 of every cached body; SCRIPT FLUSH clears it. */
  private readonly loaded = new Set<string>();
  /** Bodies already hashed: callers pass the same source string on every call. */
  private readonly shaOf = new Map<string, string>();

  constructor(private readonly host: ScriptHost) {}

  load(body: string): string {
    let sha = this.shaOf.get(body);
    if (sha === undefined) {
      sha = sha1Hex(body);
      this.shaOf.set(body, sha);
    }
    if (!this.loaded.has(sha)) {
      this.lua().compile(sha, body);
      this.loaded.add(sha);
    }
    return sha;
  }

  exists(sha: string): boolean {
    return this.loaded.has(sha.toLowerCase());
  }

  flush(): void {
    this.runtime?.flush();
    this.loaded.clear();
  }

  eval(body: string, rest: string[]): RedisReply {
    const [keys, argv] = splitKeys(rest);
    return this.lua().run(this.load(body), keys, argv);
  }

  evalSha(sha: string, rest: string[]): RedisReply {
    const [keys, argv] = splitKeys(rest);
    const id = sha.toLowerCase();
    if (!this.loaded.has(id)) fail(ERR.noScript);
    return this.lua().run(id, keys, argv);
  }

  private lua(): LuaRuntime {
    if (this.runtime === null) this.runtime = new LuaRuntime(this.host);
    return this.runtime;
  }
}

/** `numkeys key... arg...` with Redis's checks on numkeys. */
function splitKeys([numkeysText, ...rest]: string[]): [string[], string[]] {
  const numkeys = parseInteger(numkeysText as string);
  if (numkeys > rest.length) fail("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) fail("ERR Number of keys can't be negative");
  return [rest.slice(0, numkeys), rest.slice(numkeys)];
}
