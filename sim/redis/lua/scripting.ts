import type { RedisReply } from "../contract.ts";
import { ERR, fail } from "../errors.ts";
import { parseInteger } from "../numbers.ts";
import { sha1Hex, sharedLuaRuntime } from "./runtime.ts";
import { CompiledScripts, type CompiledChunk } from "./compiled/compiled-scripts.ts";
import type { ScriptHost } from "./script-host.ts";

/** How an engine runs scripts: compiled to JS where it can (the default), or always on the fengari interpreter. */
export type LuaMode = "compiled" | "interpreted";

let sharedCompiled: CompiledScripts | null = null;

/** Bodies already hashed, for every engine of the thread: callers pass the same source on every call. */
const shaOf = new Map<string, string>();

/** The thread's compiled scripts, which share the interpreter's view of the globals. */
function compiledScripts(): CompiledScripts {
  sharedCompiled ??= new CompiledScripts(sharedLuaRuntime().globalShape());
  return sharedCompiled;
}

/**
 * One engine's script cache behind EVAL, EVALSHA and SCRIPT. Every body is compiled by the interpreter (its
 * syntax errors are Lua's), and to JS where possible; both live per thread, shared by every engine. What this
 * engine has loaded (and SCRIPT FLUSH forgets) is its own.
 */
export class Scripting {
  /** sha1 of every cached body, with its compiled chunk (null: interpreted); SCRIPT FLUSH clears it. */
  private readonly loaded = new Map<string, CompiledChunk | null>();

  constructor(
    private readonly host: ScriptHost,
    private readonly mode: LuaMode = "compiled",
  ) {}

  load(body: string): string {
    let sha = shaOf.get(body);
    if (sha === undefined) {
      sha = sha1Hex(body);
      // Bodies are whatever clients send: only a bounded number is remembered.
      if (shaOf.size < 10_000) shaOf.set(body, sha);
    }
    if (!this.loaded.has(sha)) {
      sharedLuaRuntime().compile(sha, body);
      this.loaded.set(sha, this.mode === "compiled" ? compiledScripts().compile(sha, body) : null);
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
    return this.run(this.load(body), rest);
  }

  evalSha(sha: string, rest: string[]): RedisReply {
    const id = sha.toLowerCase();
    if (!this.loaded.has(id)) fail(ERR.noScript);
    return this.run(id, rest);
  }

  private run(sha: string, rest: string[]): RedisReply {
    const [keys, argv] = splitKeys(rest);
    const chunk = this.loaded.get(sha);
    if (chunk) return compiledScripts().run(sha, chunk, keys, argv, this.host);
    return sharedLuaRuntime().run(sha, keys, argv, this.host);
  }
}

/** `numkeys key... arg...` with Redis's checks on numkeys. */
function splitKeys([numkeysText, ...rest]: string[]): [string[], string[]] {
  const numkeys = parseInteger(numkeysText as string);
  if (numkeys > rest.length) fail("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) fail("ERR Number of keys can't be negative");
  return [rest.slice(0, numkeys), rest.slice(numkeys)];
}
