import type { RedisReply } from "../contract.ts";
import { ERR, fail } from "../errors.ts";
import { parseInteger } from "../numbers.ts";
import { sha1Hex, sharedLuaRuntime, type ScriptHost } from "./runtime.ts";

/**
 * One engine's script cache behind EVAL, EVALSHA and SCRIPT. Compiled functions live in the thread's shared
 * Lua state; what this engine has loaded (and SCRIPT FLUSH forgets) is its own.
 */
export class Scripting {  /** sha1 of every cached body; SCRIPT FLUSH clears it. */
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
      sharedLuaRuntime().compile(sha, body);
      this.loaded.add(sha);
    }
    return sha;
  }

  exists(sha: string): boolean {
    return this.loaded.has(sha.toLowerCase());
  }

  flush(): void {
    this.loaded.clear();
  }

  eval(body: string, rest: string[]): RedisReply {
    const [keys, argv] = splitKeys(rest);
    return sharedLuaRuntime().run(this.load(body), keys, argv, this.host);
  }

  evalSha(sha: string, rest: string[]): RedisReply {
    const [keys, argv] = splitKeys(rest);
    const id = sha.toLowerCase();
    if (!this.loaded.has(id)) fail(ERR.noScript);
    return sharedLuaRuntime().run(id, keys, argv, this.host);
  }
}

/** `numkeys key... arg...` with Redis's checks on numkeys. */
function splitKeys([numkeysText, ...rest]: string[]): [string[], string[]] {
  const numkeys = parseInteger(numkeysText as string);
  if (numkeys > rest.length) fail("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) fail("ERR Number of keys can't be negative");
  return [rest.slice(0, numkeys), rest.slice(numkeys)];
}
